//! Satisfaction and auto-close: the customer's rating of a closed ticket
//! (the emailed good / not good links, an optional comment), what staff see
//! of ratings, and the auto-close setting — with the rules both sides check.

use serde::{Deserialize, Serialize};

use crate::{
    limits::{AUTO_CLOSE_DAYS_MAX, RATING_COMMENT_MAX},
    validate::Problem,
};

/// `POST /api/ratings`: the token from the emailed link's fragment and the
/// choice the link stood for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RateTicket {
    pub token: String,
    pub good: bool,
}

/// `POST /api/ratings/comment`: an optional comment after the choice, once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RatingCommentBody {
    pub token: String,
    pub comment: String,
}

/// A customer's comment on a rating: trimmed, 1–`RATING_COMMENT_MAX` characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingComment(String);

impl RatingComment {
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        if trimmed.chars().count() > RATING_COMMENT_MAX {
            return Err(Problem::TooLong {
                max: RATING_COMMENT_MAX,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ticket's rating as staff see it (the comment is plain text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingView {
    pub good: bool,
    pub comment: Option<String>,
    pub rated_at: i64,
    /// The member the ticket was assigned to when it closed.
    pub agent: Option<String>,
}

/// One member's ratings over the last 30 days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRatings {
    pub staff_id: i64,
    pub name: String,
    pub good: u32,
    pub not_good: u32,
}

impl AgentRatings {
    /// Share of good ratings, rounded to a whole percent.
    pub fn percent_good(&self) -> u32 {
        let total = self.good + self.not_good;
        if total == 0 {
            return 0;
        }
        (self.good * 100 + total / 2) / total
    }
}

/// `GET/POST /api/console/settings/auto-close`: days an answered ticket
/// waits for the customer before it closes by itself; 0 turns it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoClose {
    pub days: u16,
}

impl AutoClose {
    pub fn check(self) -> Result<Self, Problem> {
        if self.days > AUTO_CLOSE_DAYS_MAX {
            return Err(Problem::Invalid);
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_is_trimmed_and_bounded() {
        assert_eq!(
            RatingComment::parse("  thanks  ").map(|c| c.as_str().to_owned()),
            Ok("thanks".to_owned())
        );
        assert_eq!(RatingComment::parse("   "), Err(Problem::Required));
        let long = "ا".repeat(RATING_COMMENT_MAX + 1);
        assert_eq!(
            RatingComment::parse(&long),
            Err(Problem::TooLong {
                max: RATING_COMMENT_MAX
            })
        );
    }

    #[test]
    fn percent_rounds() {
        let figures = AgentRatings {
            staff_id: 1,
            name: String::new(),
            good: 2,
            not_good: 1,
        };
        assert_eq!(figures.percent_good(), 67);
        assert!(AutoClose { days: 366 }.check().is_err());
        assert!(AutoClose { days: 0 }.check().is_ok());
    }
}
