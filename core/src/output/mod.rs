//! Output: what leaves the app — CSV for German Excel (`excel`, `export`, `report`), the
//! Kurzbericht (`brief`, `brief_html`, `chart`, `excerpt`), the session file, the submission
//! package, pseudonyms and the collection template.

pub(crate) mod brief;
pub(crate) mod brief_html;
pub mod chart;
pub(crate) mod course_chart;
pub(crate) mod excel;
pub(crate) mod excerpt;
pub(crate) mod export;
pub(crate) mod multiples;
pub(crate) mod package;
pub(crate) mod pseudonym;
pub(crate) mod report;
pub(crate) mod session;
pub(crate) mod template;
