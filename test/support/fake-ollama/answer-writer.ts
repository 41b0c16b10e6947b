/**
 * Writes one chat/generate answer either as an NDJSON stream (headers go out with the first
 * line, as gin's c.Stream does) or, with stream:false, as one JSON object at the end.
 */
import type { ServerResponse } from 'node:http';
import { NDJSON_TYPE, contentChunk, finalChunk, malformedLine, writeError, writeJson } from './responses.js';
import type { Endpoint, Metrics } from './responses.js';

export class AnswerWriter {
  private readonly parts: string[] = [];
  private corruptBody = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly endpoint: Endpoint,
    private readonly model: string,
    readonly stream: boolean,
  ) {}

  /** One output token: a chunk when streaming, else kept for the final body. */
  token(text: string): void {
    if (this.stream) this.line(JSON.stringify(contentChunk(this.endpoint, this.model, text)));
    else this.parts.push(text);
  }

  /** The done:true object; ends the response. */
  finish(doneReason: string, metrics: Metrics, context?: number[]): void {
    const content = this.stream ? '' : this.parts.join('');
    const body = finalChunk(this.endpoint, this.model, content, doneReason, metrics, context);
    if (this.stream) {
      this.line(JSON.stringify(body));
      this.res.end();
    } else if (this.corruptBody) {
      this.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      this.res.end(`${malformedLine(this.endpoint, this.model)}\n${JSON.stringify(body)}`);
    } else {
      writeJson(this.res, 200, body);
    }
  }

  /** Fault: a mid-stream `{"error":...}` line (status stays 200); with stream:false a 500. */
  errorLine(message: string): void {
    if (this.stream) {
      this.line(JSON.stringify({ error: message }));
      this.res.end();
    } else {
      writeError(this.res, 500, message);
    }
  }

  /** Fault: a line that is not JSON; with stream:false the whole body becomes invalid JSON. */
  malformed(): void {
    if (this.stream) this.line(malformedLine(this.endpoint, this.model));
    else this.corruptBody = true;
  }

  /** Fault: the connection drops without an HTTP-level ending. */
  destroy(): void {
    this.res.destroy();
  }

  /** Fault: headers (when streaming) and then silence. */
  hang(): void {
    if (!this.stream) return;
    this.res.writeHead(200, { 'Content-Type': NDJSON_TYPE });
    this.res.flushHeaders();
  }

  private line(text: string): void {
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': NDJSON_TYPE });
    this.res.write(`${text}\n`);
  }
}
