/**
 * Stops generation at the chat template's end-of-turn text (e.g. "<|im_end|>" where it is no
 * end-of-generation token, or the newline that ends a turn in a simple template), as
 * node-llama-cpp's chat session would. End-of-generation tokens are stopped on by the engine
 * itself. Pure: text pieces in, a decision out.
 */
export class StopDetector {
  private tail = '';
  private readonly keep: number;
  /** The trigger that stopped generation, or null. */
  matched: string | null = null;

  constructor(private readonly triggers: readonly string[]) {
    this.keep = Math.max(0, ...triggers.map((t) => t.length)) - 1;
  }

  /** Adds the text of one sampled token; true once a trigger is complete. */
  push(piece: string): boolean {
    if (this.triggers.length === 0 || piece === '') return false;
    const text = this.tail + piece;
    for (const trigger of this.triggers) {
      if (trigger !== '' && text.includes(trigger)) {
        this.matched = trigger;
        return true;
      }
    }
    this.tail = this.keep === 0 ? '' : text.slice(-this.keep);
    return false;
  }
}

/**
 * The answer text without the stop trigger that ended it (and anything the same token carried
 * after it). Generation stopped at the trigger's first complete occurrence, so that is where it cuts.
 */
export function cutAtTrigger(text: string, trigger: string | null): string {
  if (trigger === null) return text;
  const at = text.indexOf(trigger);
  return at < 0 ? text : text.slice(0, at);
}
