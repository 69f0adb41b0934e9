// The search analyzer of metodist, ported from src/search/analyzer.rs so that the browser
// turns a query into exactly the terms the Rust indexer stored:
//
//   split on characters that are not alphanumeric (tantivy SimpleTokenizer)
//   → drop tokens of 40 UTF-8 bytes or more (RemoveLongFilter::limit(40): keeps len < 40)
//   → lowercase char by char (LowerCaser) → fold «ё» to «е»
//   → Snowball Russian → Snowball English (tantivy's Stemmer, i.e. the frostem crate).
//
// The two stemmers are faithful ports of the Rust code that Snowball 3.1 generates from
// russian.sbl and english.sbl (snowball main, as vendored by frostem). They run on a tiny
// Snowball runtime below; positions count code points (not UTF-16 units) like Snowball's
// `next`/`hop`, so even astral characters are stepped over exactly as in Rust.
// No dependencies; works in browsers and in Node.

/** Tokens of this many UTF-8 bytes or more are dropped (MAX_TOKEN_BYTES in Rust). */
export const MAX_TOKEN_BYTES = 40;

const WORD = /[\p{Alphabetic}\p{N}]+/gu; // Rust char::is_alphanumeric = Alphabetic | Nd | Nl | No

/** Terms of `text` as the index sees them (metodist::search::analyzer::terms). */
/** Stop words (Russian Snowball list and Lucene's English list), as src/search/stopwords.rs. */
export const STOPWORDS = new Set([
  'и', 'в', 'во', 'не', 'что', 'он', 'на', 'я', 'с', 'со', 'как', 'а', 'то', 'все', 'она', 'так',
  'его', 'но', 'да', 'ты', 'к', 'у', 'же', 'вы', 'за', 'бы', 'по', 'только', 'ее', 'мне', 'было',
  'вот', 'от', 'меня', 'еще', 'нет', 'о', 'из', 'ему', 'теперь', 'когда', 'даже', 'ну', 'вдруг',
  'ли', 'если', 'уже', 'или', 'ни', 'быть', 'был', 'него', 'до', 'вас', 'нибудь', 'опять', 'уж',
  'вам', 'сказал', 'ведь', 'там', 'потом', 'себя', 'ничего', 'ей', 'может', 'они', 'тут', 'где',
  'есть', 'надо', 'ней', 'для', 'мы', 'тебя', 'их', 'чем', 'была', 'сам', 'чтоб', 'без', 'будто',
  'человек', 'чего', 'раз', 'тоже', 'себе', 'под', 'жизнь', 'будет', 'ж', 'тогда', 'кто', 'этот',
  'говорил', 'того', 'потому', 'этого', 'какой', 'совсем', 'ним', 'здесь', 'этом', 'один', 'почти',
  'мой', 'тем', 'чтобы', 'нее', 'кажется', 'сейчас', 'были', 'куда', 'зачем', 'сказать', 'всех',
  'никогда', 'сегодня', 'можно', 'при', 'наконец', 'два', 'об', 'другой', 'хоть', 'после', 'над',
  'больше', 'тот', 'через', 'эти', 'нас', 'про', 'всего', 'них', 'какая', 'много', 'разве',
  'сказала', 'три', 'эту', 'моя', 'впрочем', 'хорошо', 'свою', 'этой', 'перед', 'иногда', 'лучше',
  'чуть', 'том', 'нельзя', 'такой', 'им', 'более', 'всегда', 'конечно', 'всю', 'между', 'a', 'an',
  'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to',
  'was', 'will', 'with',
]);

export function tokenize(text) {
  const out = [];
  for (const [token] of String(text).matchAll(WORD)) {
    if (utf8Length(token) >= MAX_TOKEN_BYTES) continue;
    let lower = '';
    for (const ch of token) lower += ch.toLowerCase(); // per char: no final-sigma rule, like Rust
    const folded = lower.replace(/[ёЁ]/g, 'е');
    if (STOPWORDS.has(folded)) continue;
    out.push(stemEnglish(stemRussian(folded)));
  }
  return out;
}

function utf8Length(s) {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Minimal Snowball runtime. `s` is an array of code points; c = cursor, l = limit,
// lb = backward limit, [bra, ket) = the slice that `sliceFrom` replaces.

class Env {
  constructor(word) {
    this.s = Array.from(word);
    this.c = 0;
    this.l = this.s.length;
    this.lb = 0;
    this.bra = 0;
    this.ket = 0;
  }
  text() {
    return this.s.join('');
  }
  /** Does `str` end at the cursor (not crossing lb)? Snowball suffix strings are BMP-only. */
  endsWith(str) {
    const n = str.length;
    if (this.c - this.lb < n) return false;
    for (let i = 0; i < n; i++) if (this.s[this.c - n + i] !== str[i]) return false;
    return true;
  }
  /** Backward literal: on success the cursor moves before `str`. */
  eqB(str) {
    if (!this.endsWith(str)) return false;
    this.c -= str.length;
    return true;
  }
  /** Backward `among`: the longest entry ending at the cursor wins (cursor moves before it);
   *  returns its result, or 0. `table` is a Map from suffix to result. */
  amongB(table) {
    let best = null;
    for (const key of table.keys()) {
      if ((best === null || key.length > best.length) && this.endsWith(key)) best = key;
    }
    if (best === null) return 0;
    this.c -= best.length;
    return table.get(best);
  }
  // Groupings are Sets of characters.
  inGB(g) {
    if (this.c <= this.lb || !g.has(this.s[this.c - 1])) return false;
    this.c--;
    return true;
  }
  outGB(g) {
    if (this.c <= this.lb || g.has(this.s[this.c - 1])) return false;
    this.c--;
    return true;
  }
  /** Backward `gopast g`: move before the nearest char in g. */
  gopastB(g) {
    let c = this.c;
    while (c > this.lb && !g.has(this.s[c - 1])) c--;
    if (c <= this.lb) return false;
    this.c = c - 1;
    return true;
  }
  /** Forward `gopast g` (inside = true) or `gopast non-g` (inside = false). */
  gopast(g, inside) {
    while (this.c < this.l) {
      if (g.has(this.s[this.c]) === inside) {
        this.c++;
        return true;
      }
      this.c++;
    }
    return false;
  }
  /** Replace [bra, ket) with `str`, adjusting limit and cursor like Snowball's replace_s. */
  sliceFrom(str) {
    const add = Array.from(str);
    const adj = add.length - (this.ket - this.bra);
    this.s.splice(this.bra, this.ket - this.bra, ...add);
    this.l += adj;
    if (this.c >= this.ket) this.c += adj;
    else if (this.c > this.bra) this.c = this.bra;
    this.ket = this.bra + add.length;
  }
  sliceDel() {
    this.sliceFrom('');
  }
}

/** among(...) table: groups of space-separated strings sharing a result. */
function among(groups) {
  const m = new Map();
  for (const [result, words] of groups) for (const w of words.split(' ')) m.set(w === '-' ? '' : w, result);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Russian (russian.sbl). Everything happens inside RV (after the first vowel); R2 only
// matters for «ост(ь)».

const RU_V = new Set('аеиоуыэюя');
const RU_PERFECTIVE_GERUND = among([[1, 'в вши вшись'], [2, 'ив ивши ившись ыв ывши ывшись']]);
const RU_ADJECTIVE = among([[1,
  'ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею']]);
const RU_PARTICIPLE = among([[1, 'ем нн вш ющ щ'], [2, 'ивш ывш ующ']]);
const RU_REFLEXIVE = among([[1, 'ся сь']]);
const RU_VERB = among([
  [1, 'ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно'],
  [2, 'ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю'],
]);
const RU_NOUN = among([[1,
  'а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я']]);
const RU_DERIVATIONAL = among([[1, 'ост ость']]);
const RU_TIDY_UP = among([[1, 'ейш ейше'], [2, 'н'], [3, 'ь']]);

/** Snowball Russian stemmer (expects lowercase input). */
export function stemRussian(word) {
  const z = new Env(String(word).replace(/ё/g, 'е'));

  // mark_regions: pV after the first vowel; p2 = R2 start.
  let pV = z.l;
  let p2 = z.l;
  if (z.gopast(RU_V, true)) {
    pV = z.c;
    if (z.gopast(RU_V, false) && z.gopast(RU_V, true) && z.gopast(RU_V, false)) p2 = z.c;
  }

  // backwards, setlimit tomark pV
  z.lb = pV;
  z.c = z.l;

  // Delete the among-suffix before the cursor; group 1 must follow «а» or «я».
  const removeEnding = (table) => {
    const save = z.c;
    z.ket = z.c;
    const group = z.amongB(table);
    if (group === 0) return false;
    z.bra = z.c;
    if (group === 1 && !(z.eqB('а') || z.eqB('я'))) {
      z.c = save;
      return false;
    }
    z.sliceDel();
    return true;
  };

  if (!removeEnding(RU_PERFECTIVE_GERUND)) {
    // try reflexive
    z.ket = z.c;
    if (z.amongB(RU_REFLEXIVE)) {
      z.bra = z.c;
      z.sliceDel();
    }
    // adjectival (adjective + optional participle) or verb or noun
    z.ket = z.c;
    if (z.amongB(RU_ADJECTIVE)) {
      z.bra = z.c;
      z.sliceDel();
      removeEnding(RU_PARTICIPLE);
    } else if (!removeEnding(RU_VERB)) {
      z.ket = z.c;
      if (z.amongB(RU_NOUN)) {
        z.bra = z.c;
        z.sliceDel();
      }
    }
  }

  // try ['и'] delete
  z.c = z.l;
  z.ket = z.c;
  if (z.eqB('и')) {
    z.bra = z.c;
    z.sliceDel();
  }

  // derivational: «ост», «ость» in R2
  z.c = z.l;
  z.ket = z.c;
  if (z.amongB(RU_DERIVATIONAL)) {
    z.bra = z.c;
    if (p2 <= z.c) z.sliceDel();
  }

  // tidy_up: «ейш(е)» then undouble «нн»; or undouble «нн»; or drop «ь»
  z.c = z.l;
  z.ket = z.c;
  const tidy = z.amongB(RU_TIDY_UP);
  if (tidy !== 0) z.bra = z.c;
  if (tidy === 1) {
    z.sliceDel();
    z.ket = z.c;
    if (z.eqB('н')) {
      z.bra = z.c;
      if (z.eqB('н')) z.sliceDel();
    }
  } else if (tidy === 2) {
    if (z.eqB('н')) z.sliceDel();
  } else if (tidy === 3) {
    z.sliceDel();
  }
  return z.text();
}

// ---------------------------------------------------------------------------------------------
// English (english.sbl, "Porter2" as of Snowball 3).

const EN_V = new Set('aeiouy');
const EN_V_WXY = new Set('aeiouywxY');
const EN_AEO = new Set('aeo');
const EN_VALID_LI = new Set('cdeghkmnrt');

// Whole words with a fixed stem (-1 in Snowball = left as is).
const EN_EXCEPTIONS = new Map([
  ['skis', 'ski'], ['skies', 'sky'], ['idly', 'idl'], ['gently', 'gentl'], ['ugly', 'ugli'],
  ['early', 'earli'], ['only', 'onli'], ['singly', 'singl'],
  ...'sky news howe atlas cosmos bias andes'.split(' ').map((w) => [w, w]),
]);
// Prefixes that fix R1 at their end.
const EN_R1_PREFIXES = 'gener commun arsen past univers later emerg organ inter'.split(' ');
const EN_STEP1A_APOSTROPHE = among([[1, "' 's 's'"]]);
const EN_STEP1A = among([[1, 'sses'], [2, 'ied ies'], [3, 's'], [-1, 'us ss']]);
const EN_STEP1B = among([[-1, '-'], [1, 'eed eedly'], [2, 'ed edly ingly'], [3, 'ing']]);
const EN_STEP1B_EED_WORDS = among([[1, 'succ proc exc']]);
const EN_STEP1B_ING_WORDS = among([[1, 'y'], [2, 'even cann inn earr herr out']]);
const EN_STEP1B_END = among([[3, '-'], [1, 'at bl iz'], [2, 'bb dd ff gg mm nn pp rr tt']]);
const EN_STEP2_TO = [, 'tion', 'ence', 'ance', 'able', 'ent', 'ize', 'ate', 'al', 'ful', 'ous', 'ive', 'ble', 'og'];
const EN_STEP2 = among([
  [1, 'tional'], [2, 'enci'], [3, 'anci'], [4, 'abli'], [5, 'entli'], [6, 'izer ization'],
  [7, 'ational ation ator'], [8, 'alism aliti alli'], [9, 'fulness fulli'], [10, 'ousli ousness'],
  [11, 'iveness iviti'], [12, 'biliti bli'], [13, 'ogist'], [14, 'ogi'], [15, 'lessli'], [16, 'li'],
]);
const EN_STEP3_TO = [, 'tion', 'ate', 'al', 'ic'];
const EN_STEP3 = among([[1, 'tional'], [2, 'ational'], [3, 'alize'], [4, 'icate iciti ical'], [5, 'ful ness'], [6, 'ative']]);
const EN_STEP4 = among([[1, 'al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize'], [2, 'ion']]);

/** Snowball English (Porter2) stemmer (expects lowercase input). */
export function stemEnglish(word) {
  word = String(word);
  const exception = EN_EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  const z = new Env(word);
  if (z.l < 3) return word;

  // prelude: drop a leading apostrophe; y at the start or after a vowel becomes Y (a consonant)
  let yFound = false;
  if (z.s[0] === "'") {
    z.bra = 0;
    z.ket = 1;
    z.sliceDel();
  }
  if (z.s[0] === 'y') {
    z.s[0] = 'Y';
    yFound = true;
  }
  for (let i = 1; i < z.l; i++) {
    if (z.s[i] === 'y' && EN_V.has(z.s[i - 1])) {
      z.s[i] = 'Y';
      yFound = true;
    }
  }

  // mark_regions
  let p1 = z.l;
  let p2 = z.l;
  z.c = 0;
  const prefix = EN_R1_PREFIXES.find((p) => p.length <= z.l && z.s.slice(0, p.length).join('') === p);
  let r1Found = true;
  if (prefix !== undefined) z.c = prefix.length;
  else r1Found = z.gopast(EN_V, true) && z.gopast(EN_V, false);
  if (r1Found) {
    p1 = z.c;
    if (z.gopast(EN_V, true) && z.gopast(EN_V, false)) p2 = z.c;
  }

  // Short syllable before the cursor: non-v_WXY v non-v, or non-v v at the start, or «past».
  const shortv = () => {
    const c = z.c;
    if (z.outGB(EN_V_WXY) && z.inGB(EN_V) && z.outGB(EN_V)) return true;
    z.c = c;
    if (z.outGB(EN_V) && z.inGB(EN_V) && z.c <= z.lb) return true;
    z.c = c;
    return z.eqB('past');
  };

  z.lb = 0;

  // Step 1a
  z.c = z.l;
  z.ket = z.c;
  if (z.amongB(EN_STEP1A_APOSTROPHE)) {
    z.bra = z.c;
    z.sliceDel();
  }
  z.ket = z.c;
  switch (z.amongB(EN_STEP1A)) {
    case 1:
      z.bra = z.c;
      z.sliceFrom('ss');
      break;
    case 2: // «ties» → «tie», «cries» → «cri»
      z.bra = z.c;
      z.sliceFrom(z.c - z.lb >= 2 ? 'i' : 'ie');
      break;
    case 3: // delete s if a vowel precedes the letter before it
      z.bra = z.c;
      if (z.c > z.lb) {
        z.c--;
        if (z.gopastB(EN_V)) z.sliceDel();
      }
      break;
  }

  // Step 1b
  z.c = z.l;
  z.ket = z.c;
  const suffix1b = z.amongB(EN_STEP1B);
  z.bra = z.c;
  let remove = false;
  if (suffix1b === 1) {
    // eed, eedly → ee in R1, except succeed/proceed/exceed
    if (p1 <= z.c) {
      const c = z.c;
      if (!(z.amongB(EN_STEP1B_EED_WORDS) && z.c <= z.lb)) {
        z.c = c;
        z.sliceFrom('ee');
      }
    }
  } else if (suffix1b === 2) {
    remove = true;
  } else if (suffix1b === 3) {
    // ing: «dying» → «die»; «inning», «evening», «outing»… kept
    const c = z.c;
    const word1b = z.amongB(EN_STEP1B_ING_WORDS);
    if (word1b === 1 && z.outGB(EN_V) && z.c <= z.lb) {
      z.c = c - 1;
      z.bra = z.c;
      z.sliceFrom('ie');
    } else if (!(word1b === 2 && z.c <= z.lb)) {
      z.c = c;
      remove = true;
    }
  }
  if (remove && z.gopastB(EN_V)) {
    z.c = z.bra;
    z.sliceDel();
    z.ket = z.bra = z.c;
    const end = z.c;
    const ending = z.amongB(EN_STEP1B_END);
    if (ending === 1) {
      z.sliceFrom('e');
    } else if (ending === 2 && !(z.inGB(EN_AEO) && z.c <= z.lb)) {
      // undouble, except «add», «egg», «odd»…
      z.c = end;
      z.ket = z.c;
      if (z.c > z.lb) {
        z.c--;
        z.bra = z.c;
        z.sliceDel();
      }
    } else if (ending === 3 && z.c === p1 && shortv()) {
      z.sliceFrom('e');
    }
  }

  // Step 1c: y/Y after a non-vowel that is not the first letter → i
  z.c = z.l;
  z.ket = z.c;
  if (z.eqB('y') || z.eqB('Y')) {
    z.bra = z.c;
    if (z.outGB(EN_V) && z.c > z.lb) z.sliceFrom('i');
  }

  // Step 2 (in R1)
  z.c = z.l;
  z.ket = z.c;
  const suffix2 = z.amongB(EN_STEP2);
  z.bra = z.c;
  if (suffix2 !== 0 && p1 <= z.c) {
    if (suffix2 <= 13) z.sliceFrom(EN_STEP2_TO[suffix2]);
    else if (suffix2 === 14) {
      if (z.eqB('l')) z.sliceFrom('og');
    } else if (suffix2 === 15) z.sliceFrom('less');
    else if (z.inGB(EN_VALID_LI)) z.sliceDel();
  }

  // Step 3 (in R1; «ative» in R2)
  z.c = z.l;
  z.ket = z.c;
  const suffix3 = z.amongB(EN_STEP3);
  z.bra = z.c;
  if (suffix3 !== 0 && p1 <= z.c) {
    if (suffix3 <= 4) z.sliceFrom(EN_STEP3_TO[suffix3]);
    else if (suffix3 === 5 || p2 <= z.c) z.sliceDel();
  }

  // Step 4 (in R2; «ion» after s or t)
  z.c = z.l;
  z.ket = z.c;
  const suffix4 = z.amongB(EN_STEP4);
  z.bra = z.c;
  if (suffix4 !== 0 && p2 <= z.c) {
    if (suffix4 === 1 || z.eqB('s') || z.eqB('t')) z.sliceDel();
  }

  // Step 5: e in R2, or in R1 unless after a short syllable; l after l in R2
  z.c = z.l;
  z.ket = z.c;
  const suffix5 = z.eqB('e') ? 1 : z.eqB('l') ? 2 : 0;
  z.bra = z.c;
  if (suffix5 === 1) {
    if (p2 <= z.c || (p1 <= z.c && !shortv())) z.sliceDel();
  } else if (suffix5 === 2) {
    if (p2 <= z.c && z.eqB('l')) z.sliceDel();
  }

  // postlude
  if (yFound) for (let i = 0; i < z.l; i++) if (z.s[i] === 'Y') z.s[i] = 'y';
  return z.text();
}
