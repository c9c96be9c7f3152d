//! Column names and their normalized form (SPEC §2, "Column names").

/// Lowercase; each run of characters other than `a-z0-9` becomes `_`;
/// leading and trailing `_` removed.
///
/// Non-ASCII letters count as "other" so that a normalized name is always a
/// plain identifier the condition language can read without backticks.
pub fn normalize(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut pending_sep = false;
    for c in header.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(c);
        } else {
            pending_sep = true;
        }
    }
    out
}

/// The candidate closest to `wanted`, if it is close enough to be worth
/// suggesting ("did you mean ...?"). Compares case-insensitively and on
/// normalized forms, so `Job title` finds `Job Title` and `job_titel` finds it too.
pub(crate) fn suggest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w_lower = wanted.to_lowercase();
    let w_norm = normalize(wanted);
    let mut best: Option<(f64, &'a str)> = None;
    for cand in candidates {
        let c_lower = cand.to_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&w_lower, &c_lower);
        let c_norm = normalize(cand);
        if !w_norm.is_empty() && !c_norm.is_empty() {
            score = score.max(strsim::normalized_damerau_levenshtein(&w_norm, &c_norm));
            // A prefix/suffix match on normalized names (`employees` vs
            // `number_of_employees`) is a good hint even when far in edits.
            if c_norm.contains(&w_norm) || w_norm.contains(&c_norm) {
                score = score.max(0.6);
            }
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, cand));
        }
    }
    best.filter(|(s, _)| *s >= 0.5).map(|(_, c)| c)
}

/// ` (did you mean "X"?)`, or nothing when no candidate is close.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    match suggest(wanted, candidates) {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_examples() {
        assert_eq!(
            normalize("Total Time Spent on Website"),
            "total_time_spent_on_website"
        );
        assert_eq!(normalize("lead_id"), "lead_id");
        assert_eq!(normalize("  Lead ID  "), "lead_id");
        assert_eq!(normalize("__a--b__"), "a_b");
        assert_eq!(
            normalize("Number of Employees (est.)"),
            "number_of_employees_est"
        );
        assert_eq!(normalize("Page Views/Visit"), "page_views_visit");
        assert_eq!(normalize("A1B2"), "a1b2");
        assert_eq!(normalize("2024 Revenue"), "2024_revenue");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("???"), "");
        assert_eq!(normalize("_x_"), "x");
    }

    #[test]
    fn normalize_non_ascii_is_a_separator() {
        assert_eq!(normalize("Café Visits"), "caf_visits");
        assert_eq!(normalize("Größe"), "gr_e");
        assert_eq!(normalize("ÉTAT"), "tat");
        assert_eq!(normalize("数量"), "");
    }

    #[test]
    fn suggestions() {
        let headers = ["Job Title", "Number of Employees", "Country"];
        assert_eq!(suggest("job titel", headers), Some("Job Title"));
        assert_eq!(suggest("employees", headers), Some("Number of Employees"));
        assert_eq!(suggest("contry", headers), Some("Country"));
        assert_eq!(suggest("zzzzzz", headers), None);
        assert_eq!(did_you_mean("zzzzzz", headers), "");
        assert_eq!(
            did_you_mean("Countr", headers),
            " (did you mean \"Country\"?)"
        );
        assert_eq!(suggest("x", std::iter::empty()), None);
    }
}
