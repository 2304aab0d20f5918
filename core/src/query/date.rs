//! `registeredAt` literals: the four documented date formats converted to Unix epoch seconds with
//! integer calendar arithmetic (no clock, no floats), so native and wasm agree.

/// The four documented `registeredAt` formats, converted to Unix epoch seconds (UTC when no zone).
pub(super) fn parse_date_epoch_seconds(text: &str) -> Option<i64> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, rest @ ..] = text.as_bytes() else {
        return None;
    };
    let year = digits(&[*y1, *y2, *y3, *y4])?;
    let month = digits(&[*m1, *m2])?;
    let day = digits(&[*d1, *d2])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (seconds_of_day, zone) = match rest {
        [] => (0, &[][..]),
        [b'T', h1, h2, b':', n1, n2, b':', s1, s2, zone @ ..] => {
            let hour = digits(&[*h1, *h2])?;
            let minute = digits(&[*n1, *n2])?;
            let second = digits(&[*s1, *s2])?;
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            (hour * 3600 + minute * 60 + second, zone)
        }
        _ => return None,
    };
    let offset_seconds = match zone {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', n1, n2] => {
            let hour = digits(&[*h1, *h2])?;
            let minute = digits(&[*n1, *n2])?;
            if hour > 23 || minute > 59 {
                return None;
            }
            let magnitude = hour * 3600 + minute * 60;
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + seconds_of_day - offset_seconds)
}

pub(super) fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + i64::from(b - b'0'))
    })
}

pub(super) fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(super) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
