//! Clinical tables read from CSV, addressed by column name, and covariate design matrices.
//!
//! Values stay text until a column is asked for, so a table may hold text columns (a cell type,
//! a patient id) and missing values in columns that an analysis does not use. Asking for a numeric
//! column checks every cell and names the first bad one by row (1-based data row, as a spreadsheet
//! shows it, header excluded) and column.
//!
//! Missing values are the empty field, `NA` and `NaN` (as R and pandas write them).

use std::path::Path;

use crate::{Result, StatsError, SurvData};

/// A CSV table held as text, addressed by column name.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// What makes a CSV header, as a comma-separated reader sees it, unusable: no header at all; a
/// column name given twice (which of the two a name reads would be a guess); or a single column
/// holding semicolons or tabs (Excel saves "CSV" with semicolons in many locales), which would
/// otherwise surface as a column that cannot be found.
pub fn header_problem(headers: &[impl AsRef<str>]) -> Option<String> {
    if headers.iter().all(|h| h.as_ref().is_empty()) {
        return Some("the file is empty: no header row".into());
    }
    for (j, h) in headers.iter().enumerate() {
        let h = h.as_ref();
        // Unnamed columns (a spreadsheet's trailing commas) are never asked for by name.
        if !h.is_empty() && headers[..j].iter().any(|earlier| earlier.as_ref() == h) {
            return Some(format!("column {h:?} appears twice in the header"));
        }
    }
    let [only] = headers else { return None };
    let only = only.as_ref();
    let (separator, name) = [(';', "semicolons"), ('\t', "tabs")]
        .into_iter()
        .find(|(c, _)| only.contains(*c))?;
    let shown: String = only.chars().take(60).collect();
    Some(format!(
        "the header is one column {shown:?}: the file looks separated by {name} ({separator:?}), \
         but radsurv reads comma-separated CSV; save it with commas"
    ))
}

impl DataTable {
    /// Reads a CSV file with a header row.
    ///
    /// # Errors
    /// [`StatsError::Read`] naming the path when the file cannot be read, a row has the wrong
    /// number of fields or a header is repeated.
    pub fn read_csv(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| StatsError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_reader(file, &path.display().to_string())
    }

    /// Reads CSV text from any reader; `source` names it in errors.
    ///
    /// # Errors
    /// As [`DataTable::read_csv`].
    pub fn from_reader(reader: impl std::io::Read, source: &str) -> Result<Self> {
        let read_err = |reason: String| StatsError::Read {
            path: source.to_string(),
            reason,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| read_err(e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        if let Some(problem) = header_problem(&headers) {
            return Err(read_err(problem));
        }
        let mut rows = Vec::new();
        for record in rdr.records() {
            let record = record.map_err(|e| read_err(e.to_string()))?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        Ok(DataTable { headers, rows })
    }

    /// Column names in file order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    fn column_index(&self, column: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| StatsError::UnknownColumn {
                column: column.to_string(),
                available: self.headers.join(", "),
            })
    }

    /// One column as text.
    ///
    /// # Errors
    /// [`StatsError::UnknownColumn`]; [`StatsError::InvalidValue`] for a missing value.
    pub fn text(&self, column: &str) -> Result<Vec<&str>> {
        let j = self.column_index(column)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let cell = row[j].as_str();
                if is_missing(cell) {
                    Err(invalid(i, column, "missing value".into()))
                } else {
                    Ok(cell)
                }
            })
            .collect()
    }

    /// One column as finite numbers.
    ///
    /// # Errors
    /// [`StatsError::UnknownColumn`]; [`StatsError::InvalidValue`] naming row and column for a
    /// missing, non-numeric or non-finite value.
    pub fn numeric(&self, column: &str) -> Result<Vec<f64>> {
        let j = self.column_index(column)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| parse_cell(&row[j], i, column))
            .collect()
    }

    /// A numeric column that ranks or groups subjects (a risk score, a marker, a predicted
    /// probability): it must take at least two values, as a constant one ranks no pair.
    ///
    /// # Errors
    /// As [`DataTable::numeric`]; [`StatsError::InvalidValue`] naming the column when every
    /// value is the same.
    pub fn score(&self, column: &str) -> Result<Vec<f64>> {
        let values = self.numeric(column)?;
        match values.first() {
            Some(&first) if values.iter().all(|&v| v == first) => Err(invalid(
                0,
                column,
                format!("column has the single value {first} but a score must vary"),
            )),
            _ => Ok(values),
        }
    }

    /// A numeric column of probabilities, each in [0, 1].
    ///
    /// # Errors
    /// As [`DataTable::numeric`]; [`StatsError::InvalidValue`] naming row and column for a value
    /// outside [0, 1].
    pub fn probability(&self, column: &str) -> Result<Vec<f64>> {
        let values = self.numeric(column)?;
        match values.iter().position(|p| !(0.0..=1.0).contains(p)) {
            Some(i) => Err(invalid(
                i,
                column,
                format!("a probability must lie in [0, 1], got {}", values[i]),
            )),
            None => Ok(values),
        }
    }

    /// Survival outcome from a time and a 0/1 status column, validated by [`SurvData::new`].
    ///
    /// # Errors
    /// As [`DataTable::numeric`] and [`SurvData::new`].
    pub fn surv(&self, time: &str, status: &str) -> Result<SurvData> {
        SurvData::new(&self.numeric(time)?, &self.numeric(status)?, time, status)
    }

    /// A covariate design from named numeric columns, each checked to vary.
    ///
    /// # Errors
    /// As [`DataTable::numeric`] and [`Design::new`].
    pub fn design(&self, columns: &[&str]) -> Result<Design> {
        let data = columns
            .iter()
            .map(|c| self.numeric(c))
            .collect::<Result<Vec<_>>>()?;
        Design::new(columns.iter().map(|c| c.to_string()).collect(), data)
    }

    /// A design as R's `model.matrix` builds it for `~ a + b + ...`: a numeric column enters as
    /// it is; a column holding any non-numeric text is a factor in treatment coding, one 0/1
    /// column per level but the reference, named column and level run together
    /// (`celltypesmallcell`), as R names them. The reference is the first level in sorted order
    /// (R's order for the levels of a character column, byte order as in the C locale) unless
    /// `references` gives one for that column.
    ///
    /// # Errors
    /// As [`DataTable::text`] and [`Design::new`]; [`StatsError::Degenerate`] for a reference
    /// given for a column that is not a listed factor, or naming a level the column lacks.
    pub fn factor_design(
        &self,
        columns: &[&str],
        references: &[(String, String)],
    ) -> Result<Design> {
        let mut names = Vec::new();
        let mut data = Vec::new();
        let mut factors = Vec::new();
        for &column in columns {
            if self.is_text_column(column)? {
                let reference = references
                    .iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, l)| l.as_str());
                for (level, indicator) in self.treatment_columns(column, reference)? {
                    names.push(format!("{column}{level}"));
                    data.push(indicator);
                }
                factors.push(column);
            } else {
                names.push(column.to_string());
                data.push(self.numeric(column)?);
            }
        }
        if let Some((column, _)) = references
            .iter()
            .find(|(c, _)| !factors.contains(&c.as_str()))
        {
            return Err(StatsError::Degenerate(format!(
                "a reference level is given for {column}, which is not a text covariate"
            )));
        }
        Design::new(names, data)
    }

    /// Whether a column holds a non-missing value that is not a number (a factor, for R).
    fn is_text_column(&self, column: &str) -> Result<bool> {
        let j = self.column_index(column)?;
        Ok(self
            .rows
            .iter()
            .any(|row| !is_missing(&row[j]) && row[j].parse::<f64>().is_err()))
    }

    /// The 0/1 indicator of every level of a text column but the reference, levels in sorted
    /// order.
    fn treatment_columns(
        &self,
        column: &str,
        reference: Option<&str>,
    ) -> Result<Vec<(String, Vec<f64>)>> {
        let values = self.text(column)?;
        let mut levels: Vec<&str> = values.clone();
        levels.sort_unstable();
        levels.dedup();
        let reference = match reference {
            Some(r) if levels.contains(&r) => r,
            Some(r) => {
                return Err(StatsError::Degenerate(format!(
                    "column {column} has no level {r:?} (levels: {})",
                    levels.join(", ")
                )))
            }
            None => levels[0],
        };
        Ok(levels
            .iter()
            .filter(|l| **l != reference)
            .map(|level| {
                let indicator = values
                    .iter()
                    .map(|v| f64::from(u8::from(v == level)))
                    .collect();
                (level.to_string(), indicator)
            })
            .collect())
    }
}

/// A covariate matrix with named columns, stored column by column ($n$ rows × $p$ columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    names: Vec<String>,
    columns: Vec<Vec<f64>>,
    n_rows: usize,
}

impl Design {
    /// Builds a design from named columns of equal length with finite values, each taking at
    /// least two distinct values (a constant covariate has no estimable effect).
    ///
    /// # Errors
    /// [`StatsError::Degenerate`] for mismatched names/lengths or no columns;
    /// [`StatsError::InvalidValue`] naming row and column for a non-finite value or (row 1) a
    /// column with a single value.
    pub fn new(names: Vec<String>, columns: Vec<Vec<f64>>) -> Result<Self> {
        let design = Self::new_unchecked_variation(names, columns)?;
        for (name, col) in design.names.iter().zip(&design.columns) {
            if col.iter().all(|&v| v == col[0]) {
                return Err(invalid(
                    0,
                    name,
                    format!(
                        "column has the single value {} but a covariate must vary",
                        col[0]
                    ),
                ));
            }
        }
        Ok(design)
    }

    /// As [`Design::new`] but without the check that each column varies: for new data to
    /// predict on (one patient, a validation cohort).
    ///
    /// # Errors
    /// As [`Design::new`] except the variation check.
    pub fn new_unchecked_variation(names: Vec<String>, columns: Vec<Vec<f64>>) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(StatsError::Degenerate(format!(
                "{} column names for {} columns",
                names.len(),
                columns.len()
            )));
        }
        let n_rows = columns.first().map_or(0, Vec::len);
        for (name, col) in names.iter().zip(&columns) {
            if col.len() != n_rows {
                return Err(StatsError::Degenerate(format!(
                    "column {name:?} has {} rows, expected {n_rows}",
                    col.len()
                )));
            }
            if let Some(i) = col.iter().position(|v| !v.is_finite()) {
                return Err(invalid(
                    i,
                    name,
                    format!("value must be finite, got {}", col[i]),
                ));
            }
        }
        Ok(Design {
            names,
            columns,
            n_rows,
        })
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of rows $n$.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns $p$.
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    /// Column `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.columns[j]
    }

    /// Row `i` as a vector of $p$ values.
    pub fn row(&self, i: usize) -> Vec<f64> {
        self.columns.iter().map(|c| c[i]).collect()
    }

    /// The rows at the given indices (folds, bootstrap samples, risk groups).
    pub fn subset(&self, rows: &[usize]) -> Design {
        Design {
            names: self.names.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| rows.iter().map(|&i| c[i]).collect())
                .collect(),
            n_rows: rows.len(),
        }
    }
}

fn is_missing(cell: &str) -> bool {
    matches!(cell, "" | "NA" | "NaN" | "nan" | "NULL")
}

fn parse_cell(cell: &str, row: usize, column: &str) -> Result<f64> {
    if is_missing(cell) {
        return Err(invalid(row, column, "missing value".into()));
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) => Err(invalid(
            row,
            column,
            format!("value must be finite, got {v}"),
        )),
        Err(_) => Err(invalid(row, column, format!("not a number: {cell:?}"))),
    }
}

/// An error for the 0-based data row `row`, reported 1-based.
fn invalid(row: usize, column: &str, reason: String) -> StatsError {
    StatsError::InvalidValue {
        row: row + 1,
        column: column.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_column_becomes_treatment_coded_columns_named_as_r_names_them() {
        let csv = "cell,age\nsquamous,1\nadeno,2\nlarge,3\nadeno,4\n";
        let table = DataTable::from_reader(csv.as_bytes(), "t").unwrap();
        let design = table.factor_design(&["cell", "age"], &[]).unwrap();
        assert_eq!(design.names(), ["celllarge", "cellsquamous", "age"]);
        assert_eq!(design.column(0), [0.0, 0.0, 1.0, 0.0]);
        assert_eq!(design.column(1), [1.0, 0.0, 0.0, 0.0]);
        let chosen = table
            .factor_design(&["cell"], &[("cell".into(), "squamous".into())])
            .unwrap();
        assert_eq!(chosen.names(), ["celladeno", "celllarge"]);
        let unknown = table.factor_design(&["cell"], &[("cell".into(), "small".into())]);
        assert!(unknown
            .unwrap_err()
            .to_string()
            .contains("adeno, large, squamous"));
        assert!(table
            .factor_design(&["age"], &[("age".into(), "1".into())])
            .is_err());
    }

    fn table(text: &str) -> DataTable {
        DataTable::from_reader(text.as_bytes(), "test.csv").unwrap()
    }

    #[test]
    fn errors_name_row_and_column() {
        let t = table("time,status,age,grp\n5,1,60,a\n7,0,x,b\n9,1,NA,a\n");
        let e = t.numeric("age").unwrap_err().to_string();
        assert!(
            e.contains("row 2") && e.contains("age") && e.contains("not a number"),
            "{e}"
        );
        let e = t.surv("time", "nope").unwrap_err();
        assert!(matches!(e, StatsError::UnknownColumn { .. }));
        assert!(
            e.to_string().contains("time, status, age, grp"),
            "the error does not list the header: {e}"
        );
        let tabs = DataTable::from_reader("time\tstatus\n5\t1\n".as_bytes(), "t.csv").unwrap_err();
        assert!(tabs.to_string().contains("separated by tabs"), "{tabs}");
        let one_column = DataTable::from_reader("time\n5\n".as_bytes(), "t.csv").unwrap();
        assert_eq!(one_column.headers(), ["time"]);
        let twice =
            DataTable::from_reader("time,age,age\n5,1,2\n".as_bytes(), "t.csv").unwrap_err();
        assert!(
            twice.to_string().contains("\"age\" appears twice"),
            "{twice}"
        );
        let trailing = DataTable::from_reader("time,status,,\n5,1,,\n".as_bytes(), "t.csv");
        assert!(
            trailing.is_ok(),
            "unnamed trailing columns are not duplicates"
        );
        let empty = DataTable::from_reader("".as_bytes(), "empty.csv").unwrap_err();
        assert!(
            empty.to_string().contains("empty.csv: the file is empty"),
            "{empty}"
        );
        assert_eq!(t.text("grp").unwrap(), vec!["a", "b", "a"]);
        let t = table("time,status,age\n5,1,60\n-7,0,61\n");
        let e = t.surv("time", "status").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("time"), "{e}");
        let t = table("time,status,age\n5,1,60\n7,0,\n");
        let e = t.design(&["age"]).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("missing"), "{e}");
    }

    #[test]
    fn constant_covariate_is_rejected() {
        let t = table("time,status,age,sex\n5,1,60,1\n7,0,61,1\n");
        let e = t.design(&["age", "sex"]).unwrap_err().to_string();
        assert!(e.contains("sex") && e.contains("single value"), "{e}");
    }

    #[test]
    fn ragged_csv_is_a_read_error() {
        let e = DataTable::from_reader("a,b\n1,2\n3\n".as_bytes(), "x.csv").unwrap_err();
        assert!(matches!(e, StatsError::Read { .. }));
    }
}
