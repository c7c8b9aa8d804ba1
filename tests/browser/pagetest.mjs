import { chromium } from 'playwright-core';
import { mediaBoxes } from '/work/wt-browser/tests/browser/test/print.js';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-quic','--no-first-run','--disable-sync'] });
const p = await b.newPage();
for (const css of ['@media print { @page { size: A4; } }', '@page { size: A4; }', '@media print { @page { size: A4; margin: 20mm 15mm 20mm 30mm; } }', '@page { size: A4; margin: 20mm 15mm 20mm 30mm; }', '@page { size: 210mm 297mm; }']) {
  await p.setContent(`<style>${css}</style><p>hi</p>`);
  const pdf = await p.pdf({ preferCSSPageSize: true });
  console.log(css, JSON.stringify(mediaBoxes(pdf).boxes[0]));
}
await b.close();
