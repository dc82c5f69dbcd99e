/**
 * A streaming parser for headerless numeric CSV (the LOBSTER files): bytes in, one reused Float64Array per row
 * out, no per-row strings or objects. Errors name the file and the 1-based line.
 */

export class LobsterFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'LobsterFormatError';
  }
}

const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

export class NumericCsvParser {
  /** Fields of the current row; valid during the onRow callback only. */
  private readonly fields: Float64Array;
  private line = 1;
  private field = 0;
  private intPart = 0;
  private fracPart = 0;
  private fracScale = 1;
  private negative = false;
  private inFraction = false;
  private digits = 0;
  private lineHasData = false;
  rows = 0;

  /**
   * @param file name for error messages
   * @param columns fields per row (every row must have exactly these)
   * @param onRow gets the row's fields and its 1-based line number
   */
  constructor(
    private readonly file: string,
    readonly columns: number,
    private readonly onRow: (fields: Float64Array, line: number) => void,
  ) {
    this.fields = new Float64Array(columns);
  }

  private fail(reason: string): never {
    throw new LobsterFormatError(this.file, this.line, reason);
  }

  private endField(): void {
    if (this.digits === 0) this.fail(`field ${this.field + 1} is empty or not a number`);
    if (this.field >= this.columns) this.fail(`more than ${this.columns} fields`);
    const v = this.intPart + this.fracPart / this.fracScale;
    this.fields[this.field++] = this.negative ? -v : v;
    this.intPart = 0;
    this.fracPart = 0;
    this.fracScale = 1;
    this.negative = false;
    this.inFraction = false;
    this.digits = 0;
  }

  private endLine(): void {
    if (this.lineHasData) {
      this.endField();
      if (this.field !== this.columns) this.fail(`expected ${this.columns} fields, got ${this.field}`);
      this.rows++;
      this.onRow(this.fields, this.line);
    }
    this.field = 0;
    this.lineHasData = false;
    this.line++;
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c >= ZERO && c <= NINE) {
        if (this.inFraction) {
          // Beyond 15 fractional digits a double cannot hold more anyway.
          if (this.fracScale < 1e15) {
            this.fracPart = this.fracPart * 10 + (c - ZERO);
            this.fracScale *= 10;
          }
        } else {
          this.intPart = this.intPart * 10 + (c - ZERO);
        }
        this.digits++;
        this.lineHasData = true;
      } else if (c === COMMA) {
        this.lineHasData = true;
        this.endField();
      } else if (c === NEWLINE) {
        this.endLine();
      } else if (c === DOT && !this.inFraction) {
        this.inFraction = true;
        this.lineHasData = true;
      } else if (c === MINUS && this.digits === 0 && !this.negative && !this.inFraction) {
        this.negative = true;
        this.lineHasData = true;
      } else if (c === CR) {
        continue;
      } else {
        this.fail(`field ${this.field + 1} is not numeric (unexpected character ${JSON.stringify(String.fromCharCode(c))})`);
      }
    }
  }

  /** Flush a last line without a trailing newline. */
  end(): void {
    if (this.lineHasData) this.endLine();
  }
}
