/** What a test can make the fake CDN do to its next file responses. */
export type HubFault =
  /** Send the headers and this many body bytes, then drop the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Send the headers and this many body bytes, then send nothing more (the socket stays open). */
  | { kind: 'stall'; afterBytes: number }
  /** Accept the request and never answer (no headers). */
  | { kind: 'no-answer' }
  /** Answer a Range request with 200 and the whole file, as servers without range support do. */
  | { kind: 'ignore-range' }
  /** Send the announced number of bytes, one of them changed (a checksum mismatch). */
  | { kind: 'corrupt' };

/** One request either server saw. */
export interface HubRequestRecord {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | null;
  authorization: string | null;
}

/** A file in a repo of the fake hub. */
export interface HubFile {
  repo: string;
  path: string;
  bytes: Buffer;
}

/** A running fake hub and its CDN. */
export interface FakeHub {
  /** The hub's base URL, for HF_ENDPOINT. */
  url: string;
  /** The CDN's base URL (another origin: another port). */
  cdnUrl: string;
  /** Adds or replaces a file; `repo` is "user/name". Returns its sha256 (the LFS oid). */
  setFile(repo: string, path: string, bytes: Buffer): string;
  /** A plain file on the CDN at /files/<name>, with no hub headers (an ordinary https URL). */
  setPlainFile(name: string, bytes: Buffer, etag?: string): string;
  /** The next `times` file responses of the CDN get `fault`. */
  injectFault(fault: HubFault, times?: number): void;
  /** Make the hub's redirect state this sha256 instead of the real one. */
  overrideLinkedSha256(sha256: string | null): void;
  requests: HubRequestRecord[];
  close(): Promise<void>;
}
