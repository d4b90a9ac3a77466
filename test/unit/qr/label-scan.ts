// Reads a label PDF as a phone would: page rendered by pdftoppm, each label cut out and given to zbarimg.
import { labelGeometry, labelOrigin, type LabelLayout } from '../../../worker/qr/label-layouts';
import { renderGray, tempDir, writePgmCrop, zbarDecode } from './tools';

/**
 * Renders page `page` at `dpi` and decodes every label on it, one list of symbols per label
 * position. zbarimg is given the page cut into its labels: on a whole page with many symbols in
 * a grid it drops about 2% of them (mchehab/zbar#182, grid-aligned symbols), though each one
 * decodes on its own; a phone scans one label at a time, so the label is the honest unit. One
 * zbarimg run per label, so an unreadable label shows as an empty list in its own place.
 */
export function scanLabels(file: string, layout?: LabelLayout, page = 1, dpi = 150): string[][] {
  const g = labelGeometry(layout);
  const img = renderGray(file, page, dpi);
  const px = dpi / 25.4;
  const dir = tempDir();
  const found: string[][] = [];
  for (let i = 0; i < g.perPage; i++) {
    const { xMm, yMm } = labelOrigin(g, i);
    found.push(zbarDecode(writePgmCrop(img, `${dir}/label-${i}.pgm`, xMm * px, yMm * px, g.labelWidthMm * px, g.labelHeightMm * px)));
  }
  return found;
}
