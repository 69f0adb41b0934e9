// TEMPORARY placeholder until the real parser lands (being written in parallel).
use chrono::NaiveDate;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span { pub from: NaiveDate, pub to: NaiveDate }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Recurrence { Once, Weekly, Monthly, Quarterly, Yearly, Continuous }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum DeadlineKind { Interval { from: NaiveDate, to: NaiveDate, recurrence: Recurrence }, Conditional, Unparsed }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deadline { pub text: String, pub kind: DeadlineKind, pub months: Vec<u32> }
impl Deadline {
    pub fn normalized_label(&self) -> Option<String> { None }
    pub fn outside(&self, _p: Span) -> bool { false }
}
pub fn parse(text: &str, _period: Span) -> Deadline { Deadline { text: text.trim().into(), kind: DeadlineKind::Unparsed, months: vec![] } }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status { Planned, InProgress, Done, Overdue, Unknown }
impl Status {
    pub fn label(self) -> &'static str { match self { Status::Planned => "запланировано", Status::InProgress => "выполняется", Status::Done => "выполнено", Status::Overdue => "просрочено", Status::Unknown => "срок не определён" } }
    pub fn key(self) -> &'static str { match self { Status::Planned => "planned", Status::InProgress => "in_progress", Status::Done => "done", Status::Overdue => "overdue", Status::Unknown => "unknown" } }
}
pub fn status(_d: &Deadline, done: bool, _t: NaiveDate, _p: Span) -> Status { if done { Status::Done } else { Status::Unknown } }
