//! The statistical periods of a collection year (catalogue §2, rules.md §0.4).

use chrono::NaiveDate;

use crate::schema::{PeriodKind, PeriodRule};
use crate::value::Span;

/// The periods of collection year `year`: 自然年 = Y-1, 学年 = Y-1-09-01 … Y-08-31,
/// 时点 = Y-09-30.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub year: i32,
}

impl Periods {
    pub fn new(year: i32) -> Periods {
        Periods { year }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid fixed date")
    }

    pub fn point(&self) -> NaiveDate {
        Self::d(self.year, 9, 30)
    }

    /// The window of a period kind. For 时点 it is the single day.
    pub fn window(&self, kind: PeriodKind) -> Span {
        let y = self.year;
        match kind {
            PeriodKind::Point => Span {
                first: self.point(),
                last: self.point(),
            },
            PeriodKind::AcademicYear => Span {
                first: Self::d(y - 1, 9, 1),
                last: Self::d(y, 8, 31),
            },
            PeriodKind::CalendarYear => Span {
                first: Self::d(y - 1, 1, 1),
                last: Self::d(y - 1, 12, 31),
            },
        }
    }

    /// Text of a window for messages: `2024-09-01 至 2025-08-31`, `2025-09-30`.
    pub fn describe(&self, kind: PeriodKind) -> String {
        let w = self.window(kind);
        if w.first == w.last {
            w.first.format("%Y-%m-%d").to_string()
        } else {
            format!(
                "{} 至 {}",
                w.first.format("%Y-%m-%d"),
                w.last.format("%Y-%m-%d")
            )
        }
    }

    /// Whether a value's span keeps the rule. `within` for a 时点 means "on or before the day".
    pub fn keeps(&self, rule: PeriodRule, kind: PeriodKind, value: Span) -> bool {
        let w = self.window(kind);
        match rule {
            PeriodRule::Within if kind == PeriodKind::Point => value.first <= w.last,
            PeriodRule::Within => value.first <= w.last && value.last >= w.first,
            PeriodRule::NotAfter => value.first <= w.last,
            PeriodRule::NotBefore => value.last >= w.first,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: (i32, u32, u32), b: (i32, u32, u32)) -> Span {
        Span {
            first: Periods::d(a.0, a.1, a.2),
            last: Periods::d(b.0, b.1, b.2),
        }
    }

    #[test]
    fn windows_of_the_2025_round() {
        let p = Periods::new(2025);
        assert_eq!(p.describe(PeriodKind::Point), "2025-09-30");
        assert_eq!(
            p.describe(PeriodKind::AcademicYear),
            "2024-09-01 至 2025-08-31"
        );
        assert_eq!(
            p.describe(PeriodKind::CalendarYear),
            "2024-01-01 至 2024-12-31"
        );
    }

    #[test]
    fn spans_against_rules() {
        let p = Periods::new(2025);
        let oct_2025 = span((2025, 10, 1), (2025, 10, 31));
        let sep_2025 = span((2025, 9, 1), (2025, 9, 30));
        assert!(!p.keeps(PeriodRule::NotAfter, PeriodKind::Point, oct_2025));
        assert!(p.keeps(PeriodRule::NotAfter, PeriodKind::Point, sep_2025));
        // The year 2025 overlaps the academic year 2024-09 … 2025-08; 2023 does not.
        let y2025 = span((2025, 1, 1), (2025, 12, 31));
        let y2023 = span((2023, 1, 1), (2023, 12, 31));
        assert!(p.keeps(PeriodRule::Within, PeriodKind::AcademicYear, y2025));
        assert!(!p.keeps(PeriodRule::Within, PeriodKind::AcademicYear, y2023));
        assert!(!p.keeps(PeriodRule::Within, PeriodKind::CalendarYear, y2025));
        assert!(p.keeps(PeriodRule::NotBefore, PeriodKind::CalendarYear, y2025));
        assert!(!p.keeps(PeriodRule::NotBefore, PeriodKind::CalendarYear, y2023));
    }
}
