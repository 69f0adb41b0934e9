//! ASCII URL names from Russian text: «Наставничество» → `nastavnichestvo`.
//!
//! Transliteration follows the common passport/Yandex style (ж→zh, х→kh, ц→ts, щ→shch, ь/ъ
//! dropped, й→y), so URLs are readable by a Russian speaker and stable across builds.

fn translit_char(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Lowercase ASCII slug of letters, digits and single hyphens; never empty (`item` if nothing
/// is left), at most 80 characters.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        // No allocation per character: slugs are made for every practice, tag and organization.
        let mut buf = [0u8; 4];
        let piece: Option<&str> = if c.is_ascii_alphanumeric() {
            Some(c.encode_utf8(&mut buf))
        } else {
            translit_char(c)
        };
        match piece {
            Some("") => {}
            Some(p) => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push_str(p);
            }
            None => pending_dash = true,
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.truncate(80);
    let trimmed = out.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed
    }
}

/// Whether `s` is acceptable as a user-given slug or anchor: ASCII letters, digits, `-`, `_`.
pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !s.starts_with('-')
        && !is_windows_reserved(s)
}

/// Whether a file or folder name is reserved on Windows (CON, PRN, AUX, NUL, COM0–9, LPT0–9,
/// with any extension and in any case): such a page or file cannot be created, copied or
/// uploaded from a Windows computer.
pub(crate) fn is_windows_reserved(name: &str) -> bool {
    let base = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit())
}

/// `krasnoufimsk` + `practices/x/` → `krasnoufimsk:x`.
pub(crate) fn practice_id(dept: &str, url: &str) -> String {
    let slug = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
    format!("{dept}:{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_russian() {
        assert_eq!(slugify("Наставничество"), "nastavnichestvo");
        assert_eq!(slugify("молодые педагоги"), "molodye-pedagogi");
        assert_eq!(slugify("Щука, ёж и съезд"), "shchuka-ezh-i-sezd");
        assert_eq!(slugify("ФГОС"), "fgos");
        assert_eq!(slugify("План 2023–2025 годы"), "plan-2023-2025-gody");
        assert_eq!(slugify("МАОУ СОШ № 3"), "maou-sosh-3");
    }

    #[test]
    fn never_empty_and_bounded() {
        assert_eq!(slugify("!!!"), "item");
        assert_eq!(slugify(""), "item");
        assert!(slugify(&"щ".repeat(500)).len() <= 80);
        assert!(!slugify(&"щ".repeat(500)).ends_with('-'));
    }

    #[test]
    fn validates_user_slugs() {
        assert!(is_valid_slug("plan-2023"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("план"));
        assert!(!is_valid_slug(""));
        assert!(
            !is_valid_slug("con")
                && !is_valid_slug("NUL")
                && !is_valid_slug("com1")
                && !is_valid_slug("lpt9")
        );
        assert!(is_valid_slug("console") && is_valid_slug("nul-1") && is_valid_slug("com10"));
        assert!(
            is_windows_reserved("CON.pdf")
                && is_windows_reserved("aux.tar.gz")
                && !is_windows_reserved("contest.pdf")
        );
    }
}
