/* Same file name as ../pump.c, another folder: its own facts file. */
static int count_attempt(int n)
{
    return n + 2;
}

int other_pump(void)
{
    return count_attempt(0);
}
