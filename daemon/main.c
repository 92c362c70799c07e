/* virtuned — entry point (bus front lands in a later commit). */
int main (void);
int
main (void)
{
  return 0;
}
