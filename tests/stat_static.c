/* A statically linked program for the kpmc stat tests: no library can be
 * injected into it (the dynamic loader never runs). */
int main(void)
{
    return 0;
}
