//! Where an email address is delivered, as the domain rules need it.
//!
//! An address can be written in many ways that reach the same mailbox domain: any letter case,
//! surrounding whitespace, trailing dots, an internationalized domain in Unicode or in its
//! `xn--` form, fullwidth letters that IDNA maps to ASCII. The rules read it two ways, each
//! failing closed:
//!
//! - [`deliverable_domain`] is the one domain a well-formed address goes to, in the notation
//!   of domain patterns (IDNs in their `xn--` form). Allow rules and verification use it: an
//!   address that is not plainly `local@domain` (a second `@`, whitespace or a control
//!   character inside, a domain that is not a DNS name) has none, so it is never allowed by an
//!   allow list and never verified.
//! - [`any_candidate_domain`] tries every domain an address could be taken to mean: the text
//!   after each `@`, split at characters a domain cannot hold, with dots trimmed and fullwidth
//!   forms mapped. Deny rules use it: if any reading is denied, the address is.

use std::borrow::Cow;

/// The domain a plain `local@domain` address is delivered to: surrounding whitespace and one
/// trailing root dot removed, a Unicode domain in its `xn--` form (labels lowercased first),
/// ASCII in the case written. `None` when the address is anything but plain.
pub fn deliverable_domain(email: &str) -> Option<Cow<'_, str>> {
    let email = email.trim_matches(|c: char| c.is_ascii_whitespace());
    let (local, domain) = email.split_once('@')?;
    if local.is_empty()
        || domain.contains('@')
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.is_ascii() {
        return policy::is_dns_name_any_case(domain).then_some(Cow::Borrowed(domain));
    }
    // IDNA allows letters and digits of any script, not symbols.
    if domain
        .chars()
        .any(|c| !c.is_ascii() && !c.is_alphanumeric())
    {
        return None;
    }
    let encoded = to_ascii(domain)?;
    policy::dns_name_problem(&encoded)
        .is_none()
        .then_some(Cow::Owned(encoded))
}

/// Whether `matches` holds for any domain `email` could be read as delivering to (see the
/// module comment). Allocates only for non-ASCII text after an `@`.
pub fn any_candidate_domain(email: &str, mut matches: impl FnMut(&str) -> bool) -> bool {
    for after_at in email.split('@').skip(1) {
        for token in after_at.split(|c: char| !(c.is_alphanumeric() || is_dot(c) || c == '-')) {
            let trimmed = token.trim_matches(is_dot);
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.is_ascii() {
                if matches(trimmed) {
                    return true;
                }
                continue;
            }
            let mapped: String = trimmed.chars().map(fold_fullwidth).collect();
            let mapped = mapped.trim_matches('.');
            if matches(mapped) || to_ascii(mapped).is_some_and(|encoded| matches(&encoded)) {
                return true;
            }
        }
    }
    false
}

/// The full stop and the dots IDNA treats as one (ideographic, fullwidth, halfwidth).
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// Fullwidth ASCII (`ｍａｉｌ`) as the ASCII it stands for, and IDNA's dots as `.`.
fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        c if is_dot(c) => '.',
        c => c,
    }
}

/// A domain with Unicode labels in its ASCII form: each label lowercased, and `xn--` +
/// Punycode for those that are not ASCII. `None` when a label cannot be encoded.
fn to_ascii(domain: &str) -> Option<String> {
    let mut out = String::with_capacity(domain.len() + 8);
    for (i, label) in domain.split(|c: char| is_dot(c)).enumerate() {
        if i > 0 {
            out.push('.');
        }
        let lower: Vec<char> = label.chars().flat_map(char::to_lowercase).collect();
        if lower.iter().all(char::is_ascii) {
            out.extend(lower);
        } else {
            out.push_str("xn--");
            out.push_str(&punycode(&lower)?);
        }
    }
    Some(out)
}

/// RFC 3492 Punycode encoding of one label.
fn punycode(input: &[char]) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const INITIAL_N: u32 = 128;
    const INITIAL_BIAS: u32 = 72;
    let digit = |d: u32| -> char {
        if d < 26 {
            char::from(b'a' + d as u8)
        } else {
            char::from(b'0' + (d - 26) as u8)
        }
    };
    let mut output: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let total = u32::try_from(input.len()).ok()?;
    while handled < total {
        let m = input
            .iter()
            .map(|&c| u32::from(c))
            .filter(|&c| c >= n)
            .min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = u32::from(c);
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_matches_the_rfc() {
        let encode = |s: &str| punycode(&s.chars().collect::<Vec<_>>()).unwrap();
        assert_eq!(encode("bücher"), "bcher-kva");
        assert_eq!(encode("münchen"), "mnchen-3ya");
        // RFC 3492 7.1 (A) Arabic (Egyptian).
        assert_eq!(
            encode("\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}"),
            "egbpdaj6bu4bxfgehfvwxn"
        );
        assert_eq!(
            to_ascii("Bücher.Example").as_deref(),
            Some("xn--bcher-kva.example")
        );
    }

    #[test]
    fn deliverable_domains_of_plain_addresses() {
        for (email, domain) in [
            ("a@example.com", Some("example.com")),
            ("A@EXAMPLE.COM", Some("EXAMPLE.COM")),
            ("  a+tag@example.com\t", Some("example.com")),
            ("a@example.com.", Some("example.com")),
            ("a@bücher.example", Some("xn--bcher-kva.example")),
            ("a@example.com..", None),
            ("a@b@example.com", None),
            ("\"a@b\"@example.com", None),
            ("a b@example.com", None),
            ("a@exa mple.com", None),
            ("a@example.com (x)", None),
            ("@example.com", None),
            ("a@", None),
            ("a@localhost", None),
            ("a@[127.0.0.1]", None),
            ("a@-x.example", None),
        ] {
            assert_eq!(deliverable_domain(email).as_deref(), domain, "{email:?}");
        }
    }

    #[test]
    fn candidate_domains_cover_every_reading() {
        let candidates = |email: &str| {
            let mut all = Vec::new();
            any_candidate_domain(email, |d| {
                all.push(d.to_owned());
                false
            });
            all
        };
        assert_eq!(candidates("a@example.com"), ["example.com"]);
        assert_eq!(
            candidates("a@mailinator.com@gmail.com"),
            ["mailinator.com", "gmail.com"]
        );
        assert_eq!(
            candidates("\"a@mailinator.com\"@gmail.com"),
            ["mailinator.com", "gmail.com"]
        );
        assert_eq!(candidates("a@ mailinator.com.. "), ["mailinator.com"]);
        assert_eq!(candidates("a@(x)mailinator.com"), ["x", "mailinator.com"]);
        assert_eq!(
            candidates("a@ｍａｉｌｉｎａｔｏｒ。com"),
            ["mailinator.com", "mailinator.com"]
        );
        assert_eq!(
            candidates("a@bücher.example"),
            ["bücher.example", "xn--bcher-kva.example"]
        );
        assert!(candidates("no-at-sign").is_empty());
    }
}
