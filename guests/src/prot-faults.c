/* prot-faults: memory protection reaches a SA_SIGINFO SIGSEGV handler as Linux reports it.
 * Stores to .rodata, to a page after mprotect(PROT_READ) and to a PROT_NONE guard page, loads
 * from PROT_NONE, atomics, and calls into pages without PROT_EXEC give SEGV_ACCERR; the same
 * accesses to an unmapped page give SEGV_MAPERR.  si_addr is printed relative to the access
 * address: for an access that starts in a permitted page and crosses into a forbidden one it is
 * the forbidden page's first byte, and a faulting store writes nothing, not even its bytes in
 * the permitted page.  Accesses that must work (loads from read-only pages, code after
 * mprotect(PROT_EXEC), rewritten code) are checked too.
 *
 * Every case runs twice: "cold", from a function that has run only a few times (rvtrace's
 * interpreter), and "hot", from a twin function first run 3000 times on a good address (which
 * makes rvtrace compile it, so the fault is met by its compiled code).  The handler records the
 * fault and siglongjmp's back; main prints one line per case. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define WARM_CALLS 3000
/* noipa: no inlining, and no merging of the cold and hot twins (identical code) into one. */
#define OP __attribute__((noipa)) static uint64_t

typedef uint64_t (*op_fn)(uintptr_t);

/* ---- the accesses, each one instruction, written out so the compiler cannot change them ---- */

#define STORE(name, insn) \
  OP cold_##name(uintptr_t a) { asm volatile(insn " %1, 0(%0)" : : "r"(a), "r"(0x1122334455667788ul) : "memory"); return 0; } \
  OP hot_##name(uintptr_t a) { asm volatile(insn " %1, 0(%0)" : : "r"(a), "r"(0x1122334455667788ul) : "memory"); return 0; }
#define FSTORE(name, insn, value) \
  OP cold_##name(uintptr_t a) { asm volatile(insn " %1, 0(%0)" : : "r"(a), "f"(value) : "memory"); return 0; } \
  OP hot_##name(uintptr_t a) { asm volatile(insn " %1, 0(%0)" : : "r"(a), "f"(value) : "memory"); return 0; }
#define LOAD(name, insn) \
  OP cold_##name(uintptr_t a) { uint64_t v; asm volatile(insn " %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; } \
  OP hot_##name(uintptr_t a) { uint64_t v; asm volatile(insn " %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
/* FP loads return the loaded bits (moved to an integer register by `move`). */
#define FLOAD(name, insn, move) \
  OP cold_##name(uintptr_t a) { uint64_t v; double f; asm volatile(insn " %1, 0(%2)\n\t" move " %0, %1" : "=r"(v), "=&f"(f) : "r"(a) : "memory"); return v; } \
  OP hot_##name(uintptr_t a) { uint64_t v; double f; asm volatile(insn " %1, 0(%2)\n\t" move " %0, %1" : "=r"(v), "=&f"(f) : "r"(a) : "memory"); return v; }
#define AMO(name, insn) \
  OP cold_##name(uintptr_t a) { uint64_t v; asm volatile(insn " %0, %2, (%1)" : "=r"(v) : "r"(a), "r"(7ul) : "memory"); return v; } \
  OP hot_##name(uintptr_t a) { uint64_t v; asm volatile(insn " %0, %2, (%1)" : "=r"(v) : "r"(a), "r"(7ul) : "memory"); return v; }

STORE(sb, "sb")
STORE(sh, "sh")
STORE(sw, "sw")
STORE(sd, "sd")
FSTORE(fsw, "fsw", 1.5f)
FSTORE(fsd, "fsd", 2.5)
LOAD(lb, "lb")
LOAD(lbu, "lbu")
LOAD(lh, "lh")
LOAD(lhu, "lhu")
LOAD(lw, "lw")
LOAD(lwu, "lwu")
LOAD(ld, "ld")
FLOAD(flw, "flw", "fmv.x.w")
FLOAD(fld, "fld", "fmv.x.d")
AMO(amoadd_w, "amoadd.w")
AMO(amoswap_d, "amoswap.d")
OP cold_lr_w(uintptr_t a) { uint64_t v; asm volatile("lr.w %0, (%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
OP hot_lr_w(uintptr_t a) { uint64_t v; asm volatile("lr.w %0, (%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
/* A call into code at a: the fault, if any, is the fetch of its first instruction. */
OP cold_call(uintptr_t a) { return ((uint64_t (*)(void))a)(); }
OP hot_call(uintptr_t a) { return ((uint64_t (*)(void))a)(); }

enum kind { STORES, LOADS, CALLS };
struct op { const char *name; op_fn cold, hot; enum kind kind; };
#define ENTRY(name, kind) { #name, cold_##name, hot_##name, kind }
static const struct op ops[] = {
  ENTRY(sb, STORES), ENTRY(sh, STORES), ENTRY(sw, STORES), ENTRY(sd, STORES), ENTRY(fsw, STORES),
  ENTRY(fsd, STORES), ENTRY(amoadd_w, STORES), ENTRY(amoswap_d, STORES),
  ENTRY(lb, LOADS), ENTRY(lbu, LOADS), ENTRY(lh, LOADS), ENTRY(lhu, LOADS), ENTRY(lw, LOADS),
  ENTRY(lwu, LOADS), ENTRY(ld, LOADS), ENTRY(flw, LOADS), ENTRY(fld, LOADS), ENTRY(lr_w, LOADS),
  ENTRY(call, CALLS),
};

static const struct op *find_op(const char *name) {
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
    if (strcmp(ops[k].name, name) == 0) return &ops[k];
  return NULL;
}

/* ---- the fault handler ---- */

static sigjmp_buf back;
static volatile sig_atomic_t got_sig, got_code;
static volatile uintptr_t got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_addr = (uintptr_t)si->si_addr;
  siglongjmp(back, 1);
}

/* ---- the pages ---- */

static const char rodata[64] = "constant bytes the program must not be able to change";
/* Code: "li a0, 42; ret" and "li a0, 43; ret". */
static const uint32_t code42[] = { 0x02a00513, 0x00008067 };
static const uint32_t code43[] = { 0x02b00513, 0x00008067 };
/* Code that takes PROT_EXEC from its own page: "auipc a0, 0; lui a1, 1; li a2, PROT_READ;
 * li a7, 226 (mprotect); ecall; li a0, 42; ret" (placed at the start of a page). */
static const uint32_t unexec_self[] = { 0x00000517, 0x000015b7, 0x00100613, 0x0e200893, 0x00000073, 0x02a00513, 0x00008067 };

static char *map(size_t pages) {
  char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); _exit(2); }
  for (size_t k = 0; k < pages * PAGE; k++) p[k] = (char)(k * 7 + 3);
  return p;
}

static void protect(void *p, size_t len, int prot) {
  if (mprotect(p, len, prot) != 0) { perror("mprotect"); _exit(2); }
}

static void put_code_n(char *at, const uint32_t *code, size_t words) {
  memcpy(at, code, words * 4);
  asm volatile("fence.i" ::: "memory");
}

static void put_code(char *at, const uint32_t *code) {
  memcpy(at, code, 8);
  asm volatile("fence.i" ::: "memory");
}

static char *warm_data; /* a read-write page the hot twins warm up on */
static char *warm_code; /* an executable page holding code42 */

/* Bytes a case watches to see that a faulting store wrote nothing (NULL: none). */
static const char *watch;
static size_t watch_len;
static char before[64];
/* Run before each tier of a case (NULL: nothing), for cases that change the pages they run on. */
static void (*prepare)(void);

static const char *code_name(int code) {
  return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

/* Runs op `name` at address a in both tiers and prints what happened. */
static void try_op(const char *what, const char *name, uintptr_t a) {
  const struct op *op = find_op(name);
  if (!op) { printf("no op %s\n", name); _exit(2); }
  for (int hot = 0; hot < 2; hot++) {
    op_fn fn = hot ? op->hot : op->cold;
    if (hot) {
      uintptr_t good = op->kind == CALLS ? (uintptr_t)warm_code : (uintptr_t)warm_data + 64;
      for (int k = 0; k < WARM_CALLS; k++) fn(good);
    }
    if (prepare) prepare();
    if (watch) memcpy(before, watch, watch_len);
    got_sig = 0;
    volatile uint64_t value = 0;
    if (sigsetjmp(back, 1) == 0) value = fn(a);
    printf("[%s] %-9s %-50s ", hot ? "hot " : "cold", name, what);
    if (got_sig)
      printf("sig %d %s si_addr=access%+ld", got_sig, code_name(got_code), (long)(got_addr - a));
    else if (op->kind == STORES)
      printf("no fault");
    else
      printf("no fault, value %#lx", (unsigned long)value);
    if (watch) {
      int k = 0;
      while (k < (int)watch_len && watch[k] == before[k]) k++;
      if (k == (int)watch_len) printf(", watched bytes unchanged");
      else printf(", watched byte %d changed to %#x", k, (unsigned char)watch[k]);
    }
    printf("\n");
  }
}

static char *self_page;

static void make_self_page_executable(void) {
  protect(self_page, PAGE, PROT_READ | PROT_EXEC);
}

static void set_watch(const char *p, size_t len) {
  watch = p;
  watch_len = len;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);

  /* Every page is mapped before the first case, and the hole is made after the last mmap, so no
   * mapping can fill it. */
  warm_data = map(1);
  warm_code = map(1);
  put_code(warm_code, code42);
  protect(warm_code, PAGE, PROT_READ | PROT_EXEC);
  char *ro = map(1);                /* read-only after mprotect */
  protect(ro, PAGE, PROT_READ);
  char *guard = map(3);             /* the middle page is a PROT_NONE guard */
  protect(guard + PAGE, PAGE, PROT_NONE);
  char *none = guard + PAGE;
  char *hole = map(3);              /* the middle page is unmapped (below, after the last mmap) */
  char *unmapped = hole + PAGE;
  char *cross_ro = map(2);          /* writable, then read-only */
  protect(cross_ro + PAGE, PAGE, PROT_READ);
  char *cross_none = map(2);        /* writable, then PROT_NONE */
  protect(cross_none + PAGE, PAGE, PROT_NONE);
  char *ro_rw = map(2);             /* read-only, then writable */
  protect(ro_rw, PAGE, PROT_READ);
  char *data_code = map(1);         /* code on a page without PROT_EXEC */
  put_code(data_code, code42);
  char *flip = map(1);              /* code whose page is made executable, then not, then rewritten */
  put_code(flip, code42);
  protect(flip, PAGE, PROT_READ | PROT_EXEC);
  self_page = map(1);               /* code that mprotects its own page */
  put_code_n(self_page, unexec_self, sizeof unexec_self / 4);
  char *straddle = map(2);          /* a 4-byte instruction across an executable and a data page */
  memcpy(straddle + PAGE - 2, code42, 8);
  asm volatile("fence.i" ::: "memory");
  protect(straddle, PAGE, PROT_READ | PROT_EXEC);
  /* The last page of rvtrace's guest memory, which ends at 0xffe00000 (the memory's top 2 MiB are
   * rvtrace's own): the next page is unmapped, under rvtrace and under qemu alike. */
  char *top = mmap((void *)0xffdff000ul, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (top != (char *)0xffdff000ul) { perror("mmap at 0xffdff000"); _exit(2); }
  memset(top, 0x5c, PAGE);
  if (munmap(unmapped, PAGE) != 0) { perror("munmap"); _exit(2); }

  puts("== stores to pages that forbid them ==");
  set_watch(rodata, sizeof rodata);
  try_op(".rodata", "sb", (uintptr_t)rodata + 5);
  try_op(".rodata", "sd", (uintptr_t)rodata + 8);
  set_watch(ro, 64);
  static const char *const all_stores[] = { "sb", "sh", "sw", "sd", "fsw", "fsd", "amoadd_w", "amoswap_d" };
  for (size_t k = 0; k < 8; k++) try_op("page after mprotect(PROT_READ)", all_stores[k], (uintptr_t)ro + 16);
  set_watch(NULL, 0);
  for (size_t k = 0; k < 8; k++) try_op("PROT_NONE guard page", all_stores[k], (uintptr_t)none + 32);
  for (size_t k = 0; k < 8; k++) try_op("unmapped page", all_stores[k], (uintptr_t)unmapped + 40);
  set_watch(ro, 64);
  try_op("misaligned, within a read-only page", "sd", (uintptr_t)ro + 3);
  try_op("misaligned, within a read-only page", "sw", (uintptr_t)ro + 10);
  try_op("misaligned, within a read-only page", "sh", (uintptr_t)ro + 21);

  puts("== loads ==");
  set_watch(NULL, 0);
  static const char *const all_loads[] = { "lb", "lbu", "lh", "lhu", "lw", "lwu", "ld", "flw", "fld", "lr_w" };
  for (size_t k = 0; k < 10; k++) try_op("read-only page (allowed)", all_loads[k], (uintptr_t)ro + 24);
  for (size_t k = 0; k < 10; k++) try_op("PROT_NONE guard page", all_loads[k], (uintptr_t)none + 48);
  for (size_t k = 0; k < 10; k++) try_op("unmapped page", all_loads[k], (uintptr_t)unmapped + 56);
  try_op("misaligned, within a PROT_NONE page", "ld", (uintptr_t)none + 5);
  try_op("misaligned, within a read-only page (allowed)", "ld", (uintptr_t)ro + 5);

  puts("== accesses across a page boundary ==");
  char *edge = cross_ro + PAGE;
  set_watch(edge - 16, 16);
  /* Every start address from which a 2-, 4- or 8-byte store crosses the boundary. */
  static const char *const widths[][2] = { { "sh", "2" }, { "sw", "4" }, { "sd", "8" } };
  for (int w = 0; w < 3; w++) {
    int size = widths[w][1][0] - '0';
    for (int k = 1; k < size; k++) {
      char what[64];
      snprintf(what, sizeof what, "writable -> read-only, %d byte%s before", k, k == 1 ? "" : "s");
      try_op(what, widths[w][0], (uintptr_t)edge - k);
    }
  }
  try_op("writable -> read-only, 2 bytes before", "fsw", (uintptr_t)edge - 2);
  try_op("writable -> read-only, 4 bytes before", "fsd", (uintptr_t)edge - 4);
  try_op("writable -> read-only, 2 bytes before (load)", "ld", (uintptr_t)edge - 2);
  set_watch(cross_none + PAGE - 16, 16);
  try_op("writable -> PROT_NONE, 3 bytes before", "sd", (uintptr_t)cross_none + PAGE - 3);
  try_op("writable -> PROT_NONE, 5 bytes before", "ld", (uintptr_t)cross_none + PAGE - 5);
  try_op("writable -> PROT_NONE, 1 byte before", "lhu", (uintptr_t)cross_none + PAGE - 1);
  set_watch(hole + PAGE - 16, 16);
  try_op("writable -> unmapped, 3 bytes before", "sd", (uintptr_t)unmapped - 3);
  try_op("writable -> unmapped, 2 bytes before", "sw", (uintptr_t)unmapped - 2);
  try_op("writable -> unmapped, 6 bytes before", "ld", (uintptr_t)unmapped - 6);
  set_watch(top + PAGE - 16, 16);
  try_op("last guest page -> unmapped, 4 bytes before", "sd", (uintptr_t)top + PAGE - 4);
  try_op("last guest page -> unmapped, 1 byte before", "lw", (uintptr_t)top + PAGE - 1);
  set_watch(ro_rw + PAGE - 16, 16);
  try_op("read-only -> writable, 4 bytes before", "sd", (uintptr_t)ro_rw + PAGE - 4);
  try_op("read-only -> writable, 1 byte before", "sh", (uintptr_t)ro_rw + PAGE - 1);

  puts("== calls into code ==");
  set_watch(NULL, 0);
  try_op("page without PROT_EXEC (read-write)", "call", (uintptr_t)data_code);
  try_op("PROT_NONE page", "call", (uintptr_t)none);
  try_op("unmapped page", "call", (uintptr_t)unmapped + 8);
  try_op("executable page (allowed)", "call", (uintptr_t)flip);
  protect(flip, PAGE, PROT_READ | PROT_WRITE);
  try_op("the same page after mprotect(RW)", "call", (uintptr_t)flip);
  put_code(flip, code43);
  protect(flip, PAGE, PROT_READ | PROT_EXEC);
  try_op("rewritten, after mprotect(RX) (allowed)", "call", (uintptr_t)flip);
  try_op("4-byte instruction crossing into a data page", "call", (uintptr_t)straddle + PAGE - 2);
  protect(straddle + PAGE, PAGE, PROT_READ | PROT_EXEC);
  try_op("the same, second page made executable", "call", (uintptr_t)straddle + PAGE - 2);
  protect(straddle + PAGE, PAGE, PROT_READ | PROT_WRITE);
  try_op("the same, second page made data again", "call", (uintptr_t)straddle + PAGE - 2);
  /* The instruction after the ecall is fetched from a page that is no longer executable. */
  prepare = make_self_page_executable;
  try_op("code that mprotects its own page PROT_READ", "call", (uintptr_t)self_page);
  prepare = NULL;

  /* Nothing above may have changed what a read-only page holds. */
  printf("read-only page intact: %s\n", ro[16] == (char)(16 * 7 + 3) && ro[3] == (char)(3 * 7 + 3) ? "yes" : "no");
  return 0;
}
