/* vscenctl — lands in a later commit. */
int main (void);
int
main (void)
{
  return 2;
}
