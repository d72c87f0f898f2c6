//! Folding text for search, so that what a customer or an agent types finds
//! what was written, whatever the keyboard: Persian is typed with and
//! without the zero-width non-joiner (می‌خواهم / میخواهم), and Arabic
//! keyboards give a different ye and kaf (ي ك) than Persian ones (ی ک).

use crate::digits::to_ascii_digits;

/// The form both the indexed text and the query are brought to.
pub fn fold_for_search(text: &str) -> String {
    to_ascii_digits(text)
        .chars()
        .filter_map(|c| match c {
            // ZWNJ, tatweel and Arabic short-vowel marks carry no meaning for search.
            '\u{200C}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => None,
            'ي' | 'ى' | 'ئ' => Some('ی'),
            'ك' => Some('ک'),
            'ة' => Some('ه'),
            'أ' | 'إ' | 'آ' => Some('ا'),
            _ => Some(c),
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_spellings_fold_together() {
        for (a, b) in [
            ("می‌خواهم", "میخواهم"),
            ("كيف", "کیف"),
            ("پشتيباني", "پشتیبانی"),
            ("تراکنش ۱۲۳", "تراكنش 123"),
            ("Withdrawal", "withdrawal"),
            ("مـــبلغ", "مبلغ"),
        ] {
            assert_eq!(fold_for_search(a), fold_for_search(b), "{a} vs {b}");
        }
        assert_ne!(fold_for_search("کیف"), fold_for_search("کیش"));
    }
}
