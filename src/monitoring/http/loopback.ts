/** Is `host` (an address, or the name in a Host header) a loopback one, reachable from this machine only? */
export const isLoopback = (host: string): boolean => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/.test(host);
