//! Customers type digits in the script of their keyboard. References and other
//! numeric input are normalised to ASCII digits before they are validated.

/// Replace Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits by
/// their ASCII equivalents; every other character is kept.
pub fn to_ascii_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_and_arabic_digits_become_ascii() {
        assert_eq!(to_ascii_digits("۱۲۳۴۵-۶۷۸۹۰"), "12345-67890");
        assert_eq!(to_ascii_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(to_ascii_digits("abc 42"), "abc 42");
    }
}
