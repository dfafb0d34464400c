import { deflateSync } from "node:zlib";

/** Options of {@link makePdf}. */
export interface PdfOptions {
  /**
   * Write it as most real PDFs are: a binary marker comment after the header and Flate-compressed
   * page streams, so the file is not valid UTF-8 and only survives a byte-exact transport.
   */
  binary?: boolean;
}

/**
 * A minimal valid PDF (one page per entry of `pages`, Helvetica text lines, optional title in the
 * document info), written by hand so tests need no PDF library or binary fixture.
 */
export function makePdf(pages: readonly string[][], title?: string, options: PdfOptions = {}): Uint8Array {
  const escapePdf = (text: string) => text.replace(/[\\()]/g, (char) => `\\${char}`);
  const objects: Buffer[] = [];
  const pageIds = pages.map((_, index) => 4 + index * 2);
  objects[1] = Buffer.from("<< /Type /Catalog /Pages 2 0 R >>");
  objects[2] = Buffer.from(
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`,
  );
  objects[3] = Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  pages.forEach((lines, index) => {
    const pageId = pageIds[index] as number;
    const text = `BT /F1 11 Tf 14 TL 72 740 Td ${lines.map((line) => `(${escapePdf(line)}) Tj T*`).join(" ")} ET`;
    const stream = options.binary ? deflateSync(Buffer.from(text, "latin1")) : Buffer.from(text, "latin1");
    objects[pageId] = Buffer.from(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageId + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
    );
    objects[pageId + 1] = Buffer.concat([
      Buffer.from(`<< /Length ${stream.length}${options.binary ? " /Filter /FlateDecode" : ""} >>\nstream\n`),
      stream,
      Buffer.from("\nendstream"),
    ]);
  });
  const infoId = objects.length;
  if (title) objects[infoId] = Buffer.from(`<< /Title (${escapePdf(title)}) >>`);
  const parts: Buffer[] = [
    Buffer.from("%PDF-1.4\n"),
    // The conventional comment of bytes >= 128 that tells transfer tools the file is binary.
    ...(options.binary ? [Buffer.from([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a])] : []),
  ];
  let length = parts.reduce((sum, part) => sum + part.length, 0);
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = length;
    push(Buffer.concat([Buffer.from(`${id} 0 obj\n`), objects[id] as Buffer, Buffer.from("\nendobj\n")]));
  }
  const xref = length;
  let tail = `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) tail += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length} /Root 1 0 R${title ? ` /Info ${infoId} 0 R` : ""} >>\nstartxref\n${xref}\n%%EOF\n`;
  push(Buffer.from(tail));
  return new Uint8Array(Buffer.concat(parts));
}
