// Package report renders what a run found for the people who read it: the data owner's annotated
// workbook and the one-page report.html. Each writer takes the findings of a run as a slice or a
// stream of Finding values and writes one artefact; none reads the run store.
package report
