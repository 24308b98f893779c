// A dynamically linked program (no -static): run through the dynamic loader named by its PT_INTERP,
// found in the sysroot. Checks what the loader and the kernel tell it: its arguments, the auxv
// entries of a dynamic start (AT_BASE is the loader's address, AT_ENTRY the program's own entry,
// AT_PHDR its program headers), AT_EXECFN, and that shared libraries load at run time (dlopen of
// libm and a call through it; a missing library's error as the loader words it).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

extern char _start[];

static int count_objects(struct dl_phdr_info *info, size_t size, void *data) {
  (void)info;
  (void)size;
  ++*(int *)data;
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  printf("AT_BASE is set: %s\n", getauxval(AT_BASE) != 0 ? "yes" : "no");
  printf("AT_ENTRY is _start: %s\n", getauxval(AT_ENTRY) == (unsigned long)_start ? "yes" : "no");
  printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
  const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
  int has_interp = 0;
  for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++) has_interp |= phdr[i].p_type == PT_INTERP;
  printf("AT_PHDR holds PT_INTERP: %s\n", has_interp ? "yes" : "no");
  printf("AT_EXECFN: %s\n", (const char *)getauxval(AT_EXECFN));

  // The loader itself is mapped at AT_BASE: its ELF header is there.
  const unsigned char *base = (const unsigned char *)getauxval(AT_BASE);
  printf("ELF header at AT_BASE: %s\n", base && memcmp(base, ELFMAG, SELFMAG) == 0 ? "yes" : "no");

  void *m = dlopen("libm.so.6", RTLD_NOW);
  if (!m) {
    printf("dlopen libm.so.6: %s\n", dlerror());
    return 1;
  }
  double (*cosine)(double) = (double (*)(double))dlsym(m, "cos");
  double (*power)(double, double) = (double (*)(double, double))dlsym(m, "pow");
  printf("cos(0.5) = %.9f, pow(2, 0.5) = %.9f\n", cosine(0.5), power(2, 0.5));
  int objects = 0;
  dl_iterate_phdr(count_objects, &objects);
  printf("objects loaded after dlopen: %d\n", objects);
  dlclose(m);

  void *none = dlopen("libno-such-library.so.1", RTLD_NOW);
  printf("dlopen of a missing library: %s\n", none ? "loaded?" : dlerror());
  return 0;
}
