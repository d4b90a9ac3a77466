// Typo tolerance for the catalogue search (issue 12): which known word a mistyped query word
// most likely means. Pure; the database supplies candidate words (pg_trgm similarity in
// worker/db/catalogue.ts) and this decides. Words here are already folded (foldVietnamese).

/**
 * Spelling that sounds alike in Vietnamese and in the way people type it without a
 * Vietnamese keyboard: "ph" and "f" ("ca fe" for "cà phê"), "k" and "c", "gh"/"g",
 * "ngh"/"ng", "qu"/"q", "y"/"i" at the end. Compared after folding on both sides.
 */
export function looseSpelling(word: string): string {
  return word.replace(/ph/g, 'f').replace(/ngh/g, 'ng').replace(/gh/g, 'g').replace(/k/g, 'c').replace(/qu/g, 'q').replace(/y\b/g, 'i');
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps): "hat deiu" is one slip from "dieu". */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * How many slips a word of this length may carry and still be corrected. Vietnamese
 * syllables are short: one slip in a word of 3-6 letters ("deu" → "dieu", "nuco" → "nuoc"),
 * two from 7 letters on. Two-letter words are corrected only through the spelling rules
 * ("fe" → "phe"): one slip there could be almost any syllable.
 */
export function allowedSlips(length: number): number {
  if (length <= 2) return 0;
  return length <= 6 ? 1 : 2;
}

export interface Candidate {
  /** A known word, or two adjacent known words joined by a space ("ca phe"). */
  word: string;
  /** pg_trgm similarity of the loose spellings: breaks ties. */
  similarity: number;
}

/**
 * The known word a query word means: itself when known; otherwise the candidate with the
 * fewest slips (spaces ignored, so "cafe" meets "ca phe"), within allowedSlips; null when
 * nothing is close enough. Ties: see the rank below.
 */
export function correctWord(token: string, known: ReadonlySet<string>, candidates: readonly Candidate[]): string | null {
  if (known.has(token)) return token;
  const target = looseSpelling(token);
  const allowed = allowedSlips(target.length);
  let best: { word: string; rank: number[] } | null = null;
  for (const c of candidates) {
    const loose = looseSpelling(c.word).replace(/ /g, '');
    const slips = editDistance(target, loose);
    if (slips > allowed) continue;
    // Fewest slips; then a word the query is a shortened form of ("deu" in "dieu": a letter
    // left out is the commonest slip on a phone); then trigram similarity; then shorter.
    const rank = [slips, isSubsequence(target, loose) ? 0 : 1, -c.similarity, c.word.length];
    if (!best || lexLess(rank, best.rank)) best = { word: c.word, rank };
  }
  return best?.word ?? null;
}

/**
 * The query as the shopper probably meant it, in the words of the found product where they
 * appear there ("hat deu" → "hạt điều" from "Hạt điều rang muối"), else folded.
 */
export function spellLike(correctedWords: readonly string[], texts: readonly string[], fold: (s: string) => string): string {
  const originals = new Map<string, string>();
  for (const text of texts) {
    const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
    for (let i = 0; i < words.length; i++) {
      const one = fold(words[i]!);
      if (!originals.has(one)) originals.set(one, words[i]!.toLowerCase());
      if (i + 1 < words.length) {
        const two = `${one} ${fold(words[i + 1]!)}`;
        if (!originals.has(two)) originals.set(two, `${words[i]!} ${words[i + 1]!}`.toLowerCase());
      }
    }
  }
  return correctedWords.map((w) => originals.get(w) ?? w).join(' ');
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
