/* fp-oracle: runs single F/D instructions under qemu-riscv64 (the reference for
 * tools/fp-vectors.mjs). Each line of stdin is "WORD A B C FRM" in hex: an instruction word whose
 * sources are x6 or f1 (rs1), f2 (rs2), f4 (rs3) and whose destination is x7 or f3, the raw
 * 64-bit inputs (A goes to both x6 and f1), and the dynamic rounding mode in frm. Each line of stdout is "X7 F3 FLAGS" in hex. The word
 * is patched into fp_stub's text (stub.S), which is made writable for it; qemu notices the change
 * of code it has translated. A word the hart rejects (SIGILL: a reserved rounding mode, say) gives
 * the line "ill ill ill". */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

static sigjmp_buf on_ill;

static void ill(int sig) {
  (void)sig;
  siglongjmp(on_ill, 1);
}

extern void fp_stub(uint64_t *io);
extern uint32_t fp_slot[];

int main(void) {
  uintptr_t page = (uintptr_t)fp_slot & ~(uintptr_t)4095;
  if (mprotect((void *)page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
    perror("mprotect");
    return 1;
  }
  signal(SIGILL, ill);
  unsigned int word;
  unsigned long long a, b, c, frm;
  while (scanf("%x %llx %llx %llx %llx", &word, &a, &b, &c, &frm) == 5) {
    uint64_t io[7] = { a, b, c, 0, 0, 0, frm };
    fp_slot[0] = word;
    __builtin___clear_cache((char *)fp_slot, (char *)(fp_slot + 1));
    if (sigsetjmp(on_ill, 1)) {
      printf("ill ill ill\n");
      continue;
    }
    fp_stub(io);
    printf("%llx %llx %llx\n", (unsigned long long)io[3], (unsigned long long)io[4], (unsigned long long)io[5]);
  }
  return 0;
}
