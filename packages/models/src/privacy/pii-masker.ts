import { detectPii, type PiiKind } from "./pii-detectors";

const PLACEHOLDER = /\[(EMAIL|PHONE|CARD|IBAN|NATIONAL_ID|NAME)_(\d+)\]/g;
/** Longest placeholder we hold back while streaming, e.g. `[NATIONAL_ID_999]`. */
const MAX_PLACEHOLDER_LENGTH = 20;

/**
 * Replaces personal data with placeholders (`[EMAIL_1]`, `[CARD_2]`...) consistently across the
 * texts of one call, and puts the values back into the answer. One masker per call.
 */
export class PiiMasker {
  private readonly valueToPlaceholder = new Map<string, string>();
  private readonly placeholderToValue = new Map<string, string>();
  private readonly counters = new Map<PiiKind, number>();

  constructor(
    private readonly kinds: ReadonlySet<PiiKind>,
    private readonly knownNames: readonly string[] = [],
  ) {}

  /** How many distinct values were masked. */
  get maskedCount(): number {
    return this.placeholderToValue.size;
  }

  /** `text` with every detected value replaced by its placeholder. */
  mask(text: string): string {
    const matches = detectPii(text, this.kinds, this.knownNames);
    if (matches.length === 0) return text;
    let out = "";
    let cursor = 0;
    for (const match of matches) {
      out += text.slice(cursor, match.start) + this.placeholderFor(match.kind, match.value);
      cursor = match.end;
    }
    return out + text.slice(cursor);
  }

  /** `text` with known placeholders replaced by the original values. */
  restore(text: string): string {
    if (this.placeholderToValue.size === 0) return text;
    return text.replace(
      PLACEHOLDER,
      (placeholder) => this.placeholderToValue.get(placeholder) ?? placeholder,
    );
  }

  /**
   * Wraps a token callback so streamed text is restored too: text that may be the start of a
   * placeholder is held back until it completes (or cannot be one). Call `flush` at the end.
   */
  restoreStream(onToken: (token: string) => void): { push(token: string): void; flush(): void } {
    let pending = "";
    const emit = (text: string) => {
      if (text !== "") onToken(this.restore(text));
    };
    return {
      push: (token: string) => {
        pending += token;
        const open = pending.lastIndexOf("[");
        if (
          open === -1 ||
          pending.indexOf("]", open) !== -1 ||
          pending.length - open > MAX_PLACEHOLDER_LENGTH
        ) {
          emit(pending);
          pending = "";
          return;
        }
        emit(pending.slice(0, open));
        pending = pending.slice(open);
      },
      flush: () => {
        emit(pending);
        pending = "";
      },
    };
  }

  private placeholderFor(kind: PiiKind, value: string): string {
    const key = `${kind}\u0000${kind === "name" ? value.toLowerCase() : value}`;
    const existing = this.valueToPlaceholder.get(key);
    if (existing) return existing;
    const count = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, count);
    const placeholder = `[${kind.toUpperCase()}_${count}]`;
    this.valueToPlaceholder.set(key, placeholder);
    this.placeholderToValue.set(placeholder, value);
    return placeholder;
  }
}
