//! What every reader produces: the document's prose (for the heading) and its tables as rows of
//! cell texts, each row with the place it came from.

/// A row of a table: cell texts by grid column, and where the row starts in the source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    /// 1-based line of a text file, or row number of a spreadsheet or Word table.
    pub line: usize,
    /// The whole row is bold (`**…**` in text, bold runs in Word): a section heading.
    pub bold: bool,
}

impl Row {
    pub fn non_empty(&self) -> usize {
        self.cells.iter().filter(|c| !c.trim().is_empty()).count()
    }
}

/// A table found in the document.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// «лист «План»», «таблица 2» — where the table is, for messages; None for text files,
    /// whose rows carry file lines.
    pub place: Option<String>,
    /// How many prose paragraphs of [`Source::prose`] come before the table.
    pub prose_before: usize,
}

/// A paragraph of prose outside the tables, with its line (or paragraph number).
#[derive(Debug, Clone)]
pub struct Para {
    pub line: usize,
    pub text: String,
}

/// A document as read by one of the readers.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Human name of the format, for the report: «текст с табуляциями», «документ Word (.docx)».
    pub format: &'static str,
    /// Prose lines (paragraphs) in document order; tables are not included.
    pub prose: Vec<Para>,
    pub tables: Vec<Table>,
    /// Problems the reader met but could work around (reported as warnings).
    pub notes: Vec<(usize, String)>,
}
