/**
 * A fake Hugging Face hub for download tests: two real HTTP servers on 127.0.0.1, the hub and its
 * CDN (another origin), answering as huggingface.co does for an LFS file (what huggingface_hub's
 * file_download.py relies on):
 * - `GET <hub>/<user>/<repo>/resolve/<rev>/<path>`: 302 to the CDN, with `X-Linked-Etag: "<sha256>"`,
 *   `X-Linked-Size`, `X-Repo-Commit` and `ETag: "<sha256>"`; 404 with `X-Error-Code:
 *   EntryNotFound` for a missing file.
 * - `GET <hub>/api/models/<user>/<repo>/tree/<rev>?recursive=true`: the file list
 *   (`{ type, path, size, oid, lfs: { oid, size } }`).
 * - `GET <cdn>/blobs/<sha256>`: the bytes, with Content-Length, Accept-Ranges: bytes and a CDN
 *   ETag that is NOT the sha256; `Range: bytes=N-` gets 206 with Content-Range.
 * - `GET <cdn>/files/<name>`: a plain file (no hub headers), ranges as above.
 * Faults (cut, stall, no answer, ignored range, corrupt byte) hit the CDN's next file responses.
 */
export { startFakeHub } from './server.js';
export type { FakeHub, HubFault, HubFile, HubRequestRecord } from './types.js';
