//! Text utilities every stage shares, with no dependency on any other module of the crate:
//! HTML and XML escaping, percent coding of paths, HTML to plain text, and Russian word lists.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Escapes `&`, `<` and `>`: enough for text between tags (HTML or XML).
pub(crate) fn escape_text(s: &str) -> String {
    escape_with(s, b"&<>")
}

/// Escapes `&`, `<`, `>` and `"`: text and double-quoted attribute values in XML (Atom, SVG).
pub(crate) fn escape_xml(s: &str) -> String {
    escape_with(s, b"&<>\"")
}

/// Escapes the five characters that matter in HTML (`&`, `<`, `>`, `"`, `'`); `/` is left
/// alone so that URLs stay readable in the output.
pub(crate) fn escape_html(s: &str) -> String {
    escape_with(s, b"&<>\"'")
}

fn escape_with(s: &str, which: &[u8]) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !which.contains(&b) {
            continue;
        }
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// The entities the Markdown renderer and the escapers above write, with what they stand for.
const ENTITIES: [(&str, &str); 6] = [
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&nbsp;", "\u{a0}"),
    ("&amp;", "&"),
];

/// Undoes the escaping of [`escape_html`] (and `&nbsp;`) in one pass, so that `&amp;lt;`
/// becomes `&lt;`, not `<`. Other entities are left as they are.
pub(crate) fn unescape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((e, t)) => {
                out.push_str(t);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Plain text of an HTML fragment: tags dropped (each counts as a space), the entities that
/// the Markdown renderer writes decoded, runs of ASCII whitespace (and `&nbsp;`) collapsed to
/// one space. One pass over the bytes, copying the runs of ordinary text whole.
pub(crate) fn html_to_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut space = false; // a space is due before the next visible text
    let push = |out: &mut String, text: &str, space: &mut bool| {
        if *space && !out.is_empty() {
            out.push(' ');
        }
        *space = false;
        out.push_str(text);
    };
    let mut i = 0;
    while i < bytes.len() {
        // A run of ordinary text: everything up to the next special ASCII byte (all of them are
        // single bytes, so the run ends on a character boundary).
        let run = bytes[i..]
            .iter()
            .position(|b| matches!(b, b'<' | b'&') || b.is_ascii_whitespace())
            .map_or(bytes.len(), |n| i + n);
        if run > i {
            push(&mut out, &html[i..run], &mut space);
            i = run;
            continue;
        }
        match bytes[i] {
            b'<' => {
                space = true;
                i = html[i..].find('>').map_or(bytes.len(), |n| i + n + 1);
            }
            b'&' => {
                let (len, text) = ENTITIES
                    .iter()
                    .find(|(e, _)| html[i..].starts_with(e))
                    .map_or((1, "&"), |(e, t)| (e.len(), *t));
                if text == "\u{a0}" {
                    space = true;
                } else {
                    push(&mut out, text, &mut space);
                }
                i += len;
            }
            _ => {
                space = true;
                i += 1;
            }
        }
    }
    out
}

/// Bytes of a path kept as they are in a URL: letters, digits and `-_./~`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'/')
    .remove(b'~');

/// Percent-encodes a path for use in `href` (Cyrillic file names): every byte but letters,
/// digits and `-_./~`, as UTF-8.
pub(crate) fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is, and bytes that
/// do not form UTF-8 become U+FFFD.
pub(crate) fn decode_percent(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `21.06.2023`
pub(crate) fn ru_date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The form of a Russian noun after the number `n`: `plural(n, ["мероприятие", "мероприятия",
/// "мероприятий"])` gives «1 мероприятие», «3 мероприятия», «11 мероприятий».
pub(crate) fn plural(n: usize, forms: [&str; 3]) -> &str {
    match (n % 10, n % 100) {
        (_, 11..=14) => forms[2],
        (1, _) => forms[0],
        (2..=4, _) => forms[1],
        _ => forms[2],
    }
}

/// Russian word lists shared by the stages that read dates from text.
pub mod ru {
    /// Month names in the nominative, January first.
    pub(crate) const MONTH_NAMES: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];

    /// The part of each month's name that all its cases share, January first («ма» for May,
    /// whose forms are «май», «мая», «мае»).
    pub const MONTH_STEMS: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_forms_follow_the_number() {
        let f = ["мероприятие", "мероприятия", "мероприятий"];
        let got: Vec<&str> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111]
            .iter()
            .map(|&n| plural(n, f))
            .collect();
        assert_eq!(
            got,
            [
                "мероприятий",
                "мероприятие",
                "мероприятия",
                "мероприятия",
                "мероприятий",
                "мероприятий",
                "мероприятий",
                "мероприятий",
                "мероприятие",
                "мероприятия",
                "мероприятий",
                "мероприятие",
                "мероприятий"
            ]
        );
    }

    #[test]
    fn escapes() {
        let s = "a & b < c > d \"e\" 'f' /g";
        assert_eq!(escape_text(s), "a &amp; b &lt; c &gt; d \"e\" 'f' /g");
        assert_eq!(
            escape_xml(s),
            "a &amp; b &lt; c &gt; d &quot;e&quot; 'f' /g"
        );
        assert_eq!(
            escape_html(s),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; /g"
        );
        assert_eq!(unescape_html(&escape_html(s)), s);
        assert_eq!(unescape_html("&amp;lt; &copy; &"), "&lt; &copy; &");
    }

    #[test]
    fn html_to_text_drops_tags_decodes_entities_and_collapses_spaces() {
        assert_eq!(html_to_text("<p>Школа&nbsp;<b>молодого</b>\n  педагога</p><p>A &amp; B &lt;C&gt; &quot;D&quot; &#39;E&#39; &copy;</p>"), "Школа молодого педагога A & B <C> \"D\" 'E' &copy;");
        assert_eq!(html_to_text("a<br>b"), "a b");
        assert_eq!(html_to_text("  <p> x </p>  "), "x");
        assert_eq!(html_to_text("x <unclosed"), "x");
        assert_eq!(html_to_text("&lt;script&gt;"), "<script>");
    }

    #[test]
    fn percent_coding() {
        assert_eq!(
            encode_path("files/План работы (2024).pdf"),
            "files/%D0%9F%D0%BB%D0%B0%D0%BD%20%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D1%8B%20%282024%29.pdf"
        );
        assert_eq!(
            decode_percent(&encode_path("files/План ~x.pdf")),
            "files/План ~x.pdf"
        );
        // A `%` that starts no escape stays, even before a multi-byte letter or at the end.
        assert_eq!(decode_percent("100%-ный.pdf"), "100%-ный.pdf");
        assert_eq!(decode_percent("100%ный%"), "100%ный%");
        assert_eq!(decode_percent("a%2"), "a%2");
        assert_eq!(decode_percent("%D0%"), "\u{fffd}%");
    }
}
