//! The text analyzer shared by indexing, `metodist search`, serve and (ported to JavaScript)
//! the browser: split on non-alphanumeric characters, drop tokens over 40 bytes, lowercase,
//! fold «ё» to «е», stem with Snowball Russian, then Snowball English. Each stemmer leaves
//! words of the other alphabet untouched, so chaining them stems mixed Russian/Latin text.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

use super::stopwords;

/// Name under which the analyzer is registered in the index.
pub(crate) const NAME: &str = "ru_en";

/// Tokens longer than this many bytes are dropped (same limit in the JavaScript port).
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzer: [`chain`] applied word by word, with each distinct word's term remembered
/// (stemming and lowercasing were most of the indexing time, and a bank of thousands of
/// practices has only tens of thousands of distinct words).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(CachedAnalyzer::default())
}

/// The analysis itself, as a chain of tantivy filters: what [`analyzer`] computes for every
/// distinct word.
pub(crate) fn chain() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(YoFolder)
        .filter(StopWordFilter::remove(
            stopwords::RUSSIAN
                .iter()
                .chain(stopwords::ENGLISH)
                .map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::Russian))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Distinct words remembered by one analyzer before its memory is cleared.
const CACHE_WORDS: usize = 200_000;

/// Splits with [`WordTokenizer`], then maps every word through [`chain`], remembering the
/// result per word (`None`: a stop word or a word too long).
#[derive(Clone)]
pub struct CachedAnalyzer {
    words: WordTokenizer,
    chain: TextAnalyzer,
    cache: rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>,
}

impl Default for CachedAnalyzer {
    fn default() -> Self {
        CachedAnalyzer {
            words: WordTokenizer::default(),
            chain: chain(),
            cache: Default::default(),
        }
    }
}

pub struct CachedStream<'a> {
    words: WordTokenStream<'a>,
    chain: &'a mut TextAnalyzer,
    cache: &'a mut rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>,
}

impl Tokenizer for CachedAnalyzer {
    type TokenStream<'a> = CachedStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CachedStream<'a> {
        CachedStream {
            words: self.words.token_stream(text),
            chain: &mut self.chain,
            cache: &mut self.cache,
        }
    }
}

/// The term of `word` (one run of word characters), from `cache` or computed by `chain`.
fn term_of<'c>(
    chain: &mut TextAnalyzer,
    cache: &'c mut rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>,
    word: &str,
) -> Option<&'c str> {
    if cache.get(word).is_none() {
        if cache.len() >= CACHE_WORDS {
            cache.clear();
        }
        let mut stream = chain.token_stream(word);
        let term = if stream.advance() {
            Some(stream.token().text.clone().into_boxed_str())
        } else {
            None
        };
        return cache.entry(word.into()).or_insert(term).as_deref();
    }
    cache.get(word).and_then(|t| t.as_deref())
}

impl TokenStream for CachedStream<'_> {
    fn advance(&mut self) -> bool {
        // A dropped word (stop word, too long) still takes its position, as in the filter chain.
        while self.words.advance() {
            let token = self.words.token_mut();
            if let Some(term) = term_of(self.chain, self.cache, &token.text) {
                token.text.clear();
                token.text.push_str(term);
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        self.words.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.words.token_mut()
    }
}

/// Terms of `text` as the index sees them.
pub fn terms(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Whether `c` belongs to a word: exactly `char::is_alphanumeric` (as tantivy's
/// `SimpleTokenizer` and the JavaScript port use), with fast paths for ASCII and the Russian
/// alphabet — the general Unicode lookup dominated indexing time.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0410}'..='\u{044F}').contains(&c) || c == 'ё' || c == 'Ё' {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Splits text into runs of [`is_word_char`] characters (tantivy's `SimpleTokenizer`, faster).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordTokenStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if is_word_char(c) {
                let to = self
                    .chars
                    .find(|(_, c)| !is_word_char(*c))
                    .map(|(o, _)| o)
                    .unwrap_or(self.text.len());
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.text.push_str(&self.text[from..to]);
                return true;
            }
        }
        false
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Token filter replacing «ё» with «е» (readers rarely type «ё»; documents mix both).
#[derive(Clone)]
pub struct YoFolder;

impl TokenFilter for YoFolder {
    type Tokenizer<T: Tokenizer> = YoFolderFilter<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> YoFolderFilter<T> {
        YoFolderFilter(tokenizer)
    }
}

#[derive(Clone)]
pub struct YoFolderFilter<T>(T);

impl<T: Tokenizer> Tokenizer for YoFolderFilter<T> {
    type TokenStream<'a> = YoFolderStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        YoFolderStream(self.0.token_stream(text))
    }
}

pub struct YoFolderStream<S>(S);

impl<S: TokenStream> TokenStream for YoFolderStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let t = self.0.token_mut();
        if t.text.contains(['ё', 'Ё']) {
            t.text = t.text.replace(['ё', 'Ё'], "е");
        }
        true
    }
    fn token(&self) -> &Token {
        self.0.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn inflected_forms_share_a_stem() {
        assert_eq!(terms("наставничество"), terms("наставничества"));
        assert_eq!(terms("молодых педагогов"), terms("молодые педагоги"));
        assert_eq!(terms("Учитель года"), terms("учителя году"));
        assert_eq!(terms("ёлка"), terms("елка"));
    }

    #[test]
    fn word_chars_match_the_standard_library() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(
            terms("Школа на краю и в центре"),
            terms("школа краю центре")
        );
        assert!(terms("её всё the of").is_empty());
    }

    /// The browser's analyzer must drop exactly the same words.
    #[test]
    fn javascript_stop_words_are_the_same_list() {
        let js = include_str!("../../themes/default/static/search/analyzer.js");
        let start = js
            .find("STOPWORDS = new Set([")
            .expect("STOPWORDS in analyzer.js");
        let list = &js[start..start + js[start..].find("]);").unwrap()];
        let js_words: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        let rust_words: Vec<&str> = super::stopwords::RUSSIAN
            .iter()
            .chain(super::stopwords::ENGLISH)
            .copied()
            .collect();
        assert_eq!(js_words, rust_words);
    }

    #[test]
    fn latin_words_are_stemmed_as_english() {
        assert_eq!(terms("teachers"), terms("teacher"));
        assert_eq!(
            terms("STEM-центр"),
            vec!["stem".to_string(), "центр".to_string()]
        );
    }
}
