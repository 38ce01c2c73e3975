/* A unit with nothing to report, for tests of the plugin's own work. */
int pump_rate(void)
{
    return 1;
}

int pump_dose(int rate, int minutes)
{
    return rate * minutes;
}

int pump_limit(int dose)
{
    return dose > 100 ? 100 : dose;
}
