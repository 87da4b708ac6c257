//! How the reports write a number: times, counts, ratios, percentages.

/// "1.234 s", "12.3 ms", "45.6 us", "7.8 ns".
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.1} us", s * 1e6)
    } else {
        format!("{:.1} ns", s * 1e9)
    }
}

/// "950", "12.3 k", "4.56 M", "7.89 G".
pub fn count(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.2} G", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.2} M", n / 1e6)
    } else if n >= 1e4 {
        format!("{:.1} k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// "12,345": a whole count with its thousands marked.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A ratio with sensible digits: "0.00012", "0.35", "1.00", "15.0", "2400".
pub(super) fn ratio(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 0.1 || x <= 0.0 || !x.is_finite() {
        format!("{x:.2}")
    } else {
        // Two significant digits: 0.012, 0.0012, ...
        let decimals = (-x.log10()).ceil() as usize + 1;
        format!("{x:.decimals$}")
    }
}

/// A percentage: "100", "37", "0.42", "0.0031".
pub(super) fn percent(p: f64) -> String {
    if p >= 1.0 || p <= 0.0 {
        format!("{p:.0}")
    } else {
        ratio(p)
    }
}

/// 10^v when `v` is a whole number (a tick of a log10 axis), else `None`.
pub(super) fn power_of_ten(v: f64) -> Option<f64> {
    ((v - v.round()).abs() < 1e-6).then(|| 10f64.powf(v.round()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_ratios_keep_two_digits() {
        assert_eq!(ratio(0.00083), "0.00083");
        assert_eq!(ratio(0.012), "0.012");
        assert_eq!(ratio(0.35), "0.35");
        assert_eq!(ratio(15.04), "15.0");
        assert_eq!(percent(0.42), "0.42");
        assert_eq!(percent(37.4), "37");
    }

    #[test]
    fn counts_mark_their_thousands() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(437_245), "437,245");
        assert_eq!(thousands(1_220_999), "1,220,999");
    }
}
