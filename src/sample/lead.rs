//! One lead: what is drawn for it, in the order its random stream is
//! consumed (identity, firmographics, engagement, the outcome model,
//! activity), and the record written out in [`super::csv_out`].

use super::calendar::Calendar;
use super::engagement::{Engagement, engagement};
use super::firmographics::{Firmographics, firmographics};
use super::identity::{Identity, identity};
use super::outcome::{Activity, activity, converted_if_closed};
use super::rng::Rng;

#[derive(Clone, Copy)]
pub(super) enum Company {
    Named {
        prefix: &'static str,
        suffix: &'static str,
        legal: &'static str,
    },
    University {
        prefix: &'static str,
        form: u8,
    },
    Fixed(&'static str),
}

#[derive(Clone, Copy)]
pub(super) enum Email {
    Blank,
    /// `first.last@company-domain` in one of a few styles.
    Work {
        style: u8,
        caps: bool,
    },
    Personal {
        style: u8,
        domain: &'static str,
    },
    Edu {
        style: u8,
    },
    Competitor {
        style: u8,
        domain: &'static str,
    },
    Fixed(&'static str),
    Throwaway {
        local: &'static str,
        domain: &'static str,
    },
}

#[derive(Clone, Copy)]
pub(super) enum Num {
    Blank,
    Na,
    Value(u32),
}

pub(super) struct Lead {
    pub(super) row: u64,
    pub(super) id_row: u64,
    pub(super) created: i32,
    pub(super) created_time: Option<u32>,
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) email: Email,
    pub(super) title: &'static str,
    pub(super) company: Company,
    pub(super) tld: &'static str,
    pub(super) industry: &'static str,
    pub(super) employees: Num,
    pub(super) it_headcount: Num,
    pub(super) country: &'static str,
    pub(super) region: &'static str,
    pub(super) source: &'static str,
    pub(super) service: &'static str,
    pub(super) demo: bool,
    pub(super) form: bool,
    pub(super) pricing_views: u32,
    pub(super) last_pricing: Option<i32>,
    pub(super) service_views: u32,
    pub(super) case_views: u32,
    pub(super) webinar: bool,
    pub(super) downloads: u32,
    pub(super) opens: u32,
    pub(super) clicks: u32,
    pub(super) last_click: Option<i32>,
    pub(super) compliance: &'static str,
    pub(super) siem: &'static str,
    pub(super) timeline: &'static str,
    pub(super) incident: Option<bool>,
    pub(super) unsubscribed: bool,
    pub(super) last_activity: i32,
    pub(super) last_activity_time: Option<u32>,
    pub(super) converted: Option<bool>,
}

impl Lead {
    /// Row `row` of seed `seed`. The parts draw from one stream in a fixed
    /// order: reordering them changes every lead after the first draw moved.
    pub(super) fn draw(seed: u64, row: u64, cal: &Calendar) -> Lead {
        let mut r = Rng::for_row(seed, row);
        let who = identity(&mut r, row, cal);
        let firm = firmographics(&mut r, &who);
        let did = engagement(&mut r, &who, &firm);
        let converted_if_closed = converted_if_closed(&mut r, &who, &firm, &did);
        let Activity {
            last_pricing,
            last_click,
            last_activity,
            last_activity_time,
            converted,
        } = activity(&mut r, cal, &who, &did, converted_if_closed);
        let Identity {
            id_row,
            created,
            created_time,
            first,
            last,
            ..
        } = who;
        let Firmographics {
            email,
            title,
            company,
            tld,
            industry,
            employees,
            it_headcount,
            country,
            region,
            ..
        } = firm;
        let Engagement {
            source,
            service,
            demo,
            form,
            pricing_views,
            service_views,
            case_views,
            webinar,
            downloads,
            opens,
            clicks,
            compliance,
            siem,
            timeline,
            incident,
            unsubscribed,
            ..
        } = did;
        Lead {
            row,
            id_row,
            created,
            created_time,
            first,
            last,
            email,
            title,
            company,
            tld,
            industry,
            employees,
            it_headcount,
            country,
            region,
            source: source.name(),
            service,
            demo,
            form,
            pricing_views,
            last_pricing,
            service_views,
            case_views,
            webinar,
            downloads,
            opens,
            clicks,
            last_click,
            compliance,
            siem,
            timeline,
            incident,
            unsubscribed,
            last_activity,
            last_activity_time,
            converted,
        }
    }
}
