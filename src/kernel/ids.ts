// The identity guests run with: the host user's, so that ownership in stat() and getuid() agree
// (the host's files keep their real owners) and programs see what qemu-riscv64 shows them.
export const GUEST_UID = process.getuid?.() ?? 1000;
export const GUEST_GID = process.getgid?.() ?? 1000;
