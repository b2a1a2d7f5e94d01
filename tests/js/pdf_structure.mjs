// Print what Firefox's PDF engine (pdf.js) sees in a PDF: the structure tree of each page,
// the document metadata and the form fields, as one JSON object on stdout.
// Usage: node pdf_structure.mjs FILE.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const path = process.argv[2];
const data = new Uint8Array(await readFile(path));
const pdf = await getDocument({ data, verbosity: 0, useSystemFonts: false }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const tree = await page.getStructTree();
  const text = await page.getTextContent({ includeMarkedContent: true });
  pages.push({ number: n, structTree: tree, markedContent: text.items.filter((i) => i.type).length });
}
const meta = await pdf.getMetadata();
const fields = await pdf.getFieldObjects();
const outline = await pdf.getOutline();
const simplify = (items) => (items || []).map((i) => ({ title: i.title, items: simplify(i.items) }));
process.stdout.write(JSON.stringify({
  numPages: pdf.numPages,
  info: meta.info,
  metadata: meta.metadata ? Object.fromEntries(meta.metadata) : null,
  xmp: meta.metadata ? meta.metadata.getRaw() : null,
  fields,
  outline: simplify(outline),
  pages,
}));
await pdf.destroy();
