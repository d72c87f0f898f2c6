//! The seed's randomness and text: a small deterministic generator
//! (xorshift64*) and sentences drawn from an embedded word list per language
//! with a Zipf-like frequency curve (the n-th word about 1/n as often as the
//! first), so that some words are everywhere and most are rare.

/// xorshift64* (Vigna): fast, good enough for made-up data, reproducible
/// from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // SplitMix64 once, so that small seeds start far apart; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1).max(1) as u64) as i64
    }

    /// Log-uniform in `low..=high` (both > 0): short gaps often, long ones
    /// sometimes.
    pub fn spread(&mut self, low: i64, high: i64) -> i64 {
        let (l, h) = ((low.max(1)) as f64, (high.max(1)) as f64);
        (l * (h / l).powf(self.unit())) as i64
    }

    /// An index into `weights`, chosen in proportion to them.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut pick = self.below(u64::from(total.max(1))) as u32;
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                return i;
            }
            pick -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// One language's words, most frequent first.
pub struct Words {
    list: Vec<&'static str>,
    /// Capitalise the first word (not for Persian).
    capital: bool,
    question: &'static str,
}

impl Words {
    pub fn new(text: &'static str, capital: bool, question: &'static str) -> Words {
        Words {
            list: text
                .lines()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect(),
            capital,
            question,
        }
    }

    /// The word of this frequency rank (0 is the most common).
    pub fn at(&self, rank: usize) -> &'static str {
        self.list[rank.min(self.list.len() - 1)]
    }

    /// A word by the Zipf-like curve: rank k with probability about
    /// proportional to 1/(k+1) (the continuous form, one `powf` per word).
    pub fn pick(&self, rng: &mut Rng) -> &'static str {
        let n = self.list.len() as f64;
        let rank = ((n + 1.0).powf(rng.unit()) - 1.0) as usize;
        self.at(rank)
    }

    /// `words` words as one sentence, appended to `out`.
    pub fn sentence(&self, rng: &mut Rng, words: usize, out: &mut String) {
        for i in 0..words.max(1) {
            let word = self.pick(rng);
            if i > 0 {
                out.push(' ');
            }
            if i == 0 && self.capital {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(word);
            }
        }
        out.push_str(if rng.chance(0.2) { self.question } else { "." });
    }

    /// A subject: a short sentence without the full stop.
    pub fn subject(&self, rng: &mut Rng) -> String {
        let mut out = String::new();
        let words = rng.between(3, 8) as usize;
        self.sentence(rng, words, &mut out);
        out.pop();
        if out.ends_with(self.question) {
            out.truncate(out.len() - self.question.len());
        }
        out
    }

    /// A message: one to four sentences.
    pub fn body(&self, rng: &mut Rng) -> String {
        let mut out = String::new();
        for i in 0..rng.between(1, 4) {
            if i > 0 {
                out.push(' ');
            }
            let words = rng.between(4, 16) as usize;
            self.sentence(rng, words, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_text_and_the_curve_is_steep() {
        let words = Words::new("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", true, "?");
        let (mut one, mut two) = (Rng::new(7), Rng::new(7));
        assert_eq!(words.body(&mut one), words.body(&mut two));
        let mut rng = Rng::new(1);
        let mut counts = [0usize; 10];
        for _ in 0..100_000 {
            let word = words.pick(&mut rng);
            counts[(word.as_bytes()[0] - b'a') as usize] += 1;
        }
        assert!(counts[0] > 3 * counts[9], "{counts:?}");
        assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
        assert!(rng.between(3, 3) == 3 && rng.below(1) == 0);
    }
}
