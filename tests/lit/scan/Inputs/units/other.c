// Another unit that parses, scanned whatever happens to broken.c.
int pin_verify(const char *pin);

int use_pin(void)
{
    return pin_verify("1234");
}
