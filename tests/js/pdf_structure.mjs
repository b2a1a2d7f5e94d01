// Print what Firefox's PDF engine (pdf.js) sees in a PDF: the structure tree and the links of each
// page (where a click on each leads: a web address, or a page of the file), the document metadata
// and the form fields, as one JSON object on stdout.
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
  const links = [];
  for (const link of (await page.getAnnotations()).filter((a) => a.subtype === "Link")) {
    const dest = typeof link.dest === "string" ? await pdf.getDestination(link.dest) : link.dest;
    links.push({ words: link.contentsObj?.str ?? "", url: link.url ?? null,
                 page: Array.isArray(dest) ? (await pdf.getPageIndex(dest[0])) + 1 : null });
  }
  pages.push({ number: n, structTree: tree, markedContent: text.items.filter((i) => i.type).length, links });
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
