//! A lead as one CSV line: quoting, numbers, dates with an optional time,
//! and the email address a lead's kind and style spell.

use super::calendar::civil_from_days;
use super::lead::{Company, Email, Lead, Num};
use std::fmt::Write as _;

impl Lead {
    /// Appends the lead as one CSV line (`cell` is scratch space).
    pub(super) fn write(&self, line: &mut String, cell: &mut String) {
        let _ = write!(line, "L-{:06},", self.id_row + 1);
        put_date(line, self.created, self.created_time);
        cell.clear();
        self.write_email(cell);
        put(line, cell);
        put(line, self.title);
        cell.clear();
        match self.company {
            Company::Named {
                prefix,
                suffix,
                legal,
            } => {
                let _ = write!(cell, "{prefix} {suffix}{legal}");
            }
            Company::University { prefix, form } => {
                let _ = match form {
                    0 => write!(cell, "University of {prefix}"),
                    1 => write!(cell, "{prefix} State University"),
                    _ => write!(cell, "{prefix} College"),
                };
            }
            Company::Fixed(s) => cell.push_str(s),
        }
        put(line, cell);
        put(line, self.industry);
        put_num(line, self.employees);
        put_num(line, self.it_headcount);
        put(line, self.country);
        put(line, self.region);
        put(line, self.source);
        put(line, self.service);
        put(line, if self.demo { "Yes" } else { "No" });
        put(line, if self.form { "Yes" } else { "No" });
        let _ = write!(line, "{},", self.pricing_views);
        put_opt_date(line, self.last_pricing);
        let _ = write!(line, "{},{},", self.service_views, self.case_views);
        put(line, if self.webinar { "TRUE" } else { "FALSE" });
        let _ = write!(line, "{},{},{},", self.downloads, self.opens, self.clicks);
        put_opt_date(line, self.last_click);
        put(line, self.compliance);
        put(line, self.siem);
        put(line, self.timeline);
        put(
            line,
            match self.incident {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "",
            },
        );
        put(line, if self.unsubscribed { "true" } else { "false" });
        put_date(line, self.last_activity, self.last_activity_time);
        put(
            line,
            match self.converted {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "",
            },
        );
        end_line(line);
    }

    pub(super) fn write_email(&self, cell: &mut String) {
        let (first, last) = (self.first, self.last);
        let lower =
            |cell: &mut String, s: &str| cell.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        let local = |cell: &mut String, style: u8| match style {
            0 => {
                lower(cell, first);
                cell.push('.');
                lower(cell, last);
            }
            1 => {
                lower(cell, &first[..1]);
                lower(cell, last);
            }
            2 => lower(cell, first),
            _ => {
                lower(cell, first);
                cell.push('_');
                lower(cell, last);
            }
        };
        match self.email {
            Email::Blank => {}
            Email::Work { style, caps } => {
                if caps {
                    let _ = write!(cell, "{first}.{last}@");
                } else {
                    local(cell, style);
                    cell.push('@');
                }
                if let Company::Named { prefix, suffix, .. } = self.company {
                    for c in prefix.chars().chain(suffix.chars()) {
                        if c.is_ascii_alphanumeric() {
                            cell.push(if caps { c } else { c.to_ascii_lowercase() });
                        }
                    }
                }
                cell.push_str(self.tld);
            }
            Email::Personal { style, domain } => {
                local(cell, style);
                if style == 2 {
                    let _ = write!(cell, "{}", (self.row % 97) + 3);
                }
                cell.push('@');
                cell.push_str(domain);
            }
            Email::Edu { style } => {
                local(cell, style);
                cell.push('@');
                if let Company::University { prefix, .. } = self.company {
                    lower(cell, prefix);
                } else {
                    cell.push_str("state");
                }
                cell.push_str(".edu");
            }
            Email::Competitor { style, domain } => {
                local(cell, style);
                cell.push('@');
                cell.push_str(domain);
            }
            Email::Fixed(s) => cell.push_str(s),
            Email::Throwaway { local, domain } => {
                let _ = write!(cell, "{local}@{domain}");
            }
        }
    }
}

/// Appends one field and its trailing comma, quoted when it must be.
pub(super) fn put(line: &mut String, s: &str) {
    let needs_quotes = s.contains([',', '"', '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs_quotes {
        line.push('"');
        for c in s.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(s);
    }
    line.push(',');
}

pub(super) fn put_num(line: &mut String, n: Num) {
    match n {
        Num::Blank => line.push(','),
        Num::Na => line.push_str("N/A,"),
        Num::Value(v) => {
            let _ = write!(line, "{v},");
        }
    }
}

pub(super) fn put_date(line: &mut String, day: i32, time: Option<u32>) {
    let (y, m, d) = civil_from_days(day);
    let _ = write!(line, "{y:04}-{m:02}-{d:02}");
    if let Some(t) = time {
        let _ = write!(line, " {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
    }
    line.push(',');
}

pub(super) fn put_opt_date(line: &mut String, day: Option<i32>) {
    match day {
        Some(d) => put_date(line, d, None),
        None => line.push(','),
    }
}

/// Replaces the last field's comma with the line end.
pub(super) fn end_line(line: &mut String) {
    line.pop();
    line.push('\n');
}
