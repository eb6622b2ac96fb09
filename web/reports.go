package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

const mimeCSV = "text/csv"

// exportRowBatch rows are written between flushes to the client.
const exportRowBatch = 1000

// exportStallTimeout is how long an export may wait on a client that has
// stopped reading.
const exportStallTimeout = 60 * time.Second

// reportBuilder is one of the app's report use cases.
type reportBuilder func(context.Context, *domain.Principal, app.ReportQuery) (app.Report, error)

func reportQuery(c *fiber.Ctx) app.ReportQuery {
	return app.ReportQuery{Areas: c.Query("areas"), From: c.Query("from"), To: c.Query("to"), Kind: c.Query("kind"),
		ProblemType: c.Query("problem_type"), By: c.Query("by")}
}

func (s *Server) payReport(c *fiber.Ctx) error { return s.report(c, s.app.PayReport, reportQuery(c)) }
func (s *Server) hoursReport(c *fiber.Ctx) error {
	return s.report(c, s.app.HoursReport, reportQuery(c))
}
func (s *Server) fillReport(c *fiber.Ctx) error { return s.report(c, s.app.FillReport, reportQuery(c)) }
func (s *Server) fairnessReport(c *fiber.Ctx) error {
	return s.report(c, s.app.FairnessReport, reportQuery(c))
}
func (s *Server) reliabilityReport(c *fiber.Ctx) error {
	return s.report(c, s.app.ReliabilityReport, reportQuery(c))
}
func (s *Server) expiringReport(c *fiber.Ctx) error {
	return s.report(c, s.app.ExpiringReport, reportQuery(c))
}

// report answers a report as JSON ({"items": […], "next_cursor": null}) or,
// when Accept prefers it, CSV. Rows go from the database cursor to the
// connection as they are read; nothing holds the whole answer. Filters and
// permissions are checked first, so a refusal is still a problem+json.
func (s *Server) report(c *fiber.Ctx, build reportBuilder, q app.ReportQuery) error {
	rep, err := build(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	csvOut := c.Accepts(fiber.MIMEApplicationJSON, mimeCSV) == mimeCSV
	if csvOut {
		c.Set(fiber.HeaderContentType, mimeCSV+"; charset=utf-8; header=present")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+rep.Name+`.csv"`)
	} else {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	// The server's write timeout would cut a long export short: instead,
	// each batch of rows that reaches the client allows a while longer, so
	// only an export that stalls times out.
	conn := c.Context().Conn()
	progress := func() { _ = conn.SetWriteDeadline(time.Now().Add(exportStallTimeout)) }
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		var err error
		if csvOut {
			err = writeCSV(ctx, w, rep, progress)
		} else {
			err = writeJSON(ctx, w, rep, progress)
		}
		if err != nil {
			// The status has gone; a truncated body is what the client sees.
			s.log.Error("report export stopped", "report", rep.Name, "err", err)
		}
		_ = w.Flush()
	})
	return nil
}

// writeCSV writes RFC 4180 with a header row; cells a spreadsheet would
// read as a formula are neutralised.
func writeCSV(ctx context.Context, w *bufio.Writer, rep app.Report, progress func()) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(rep.Columns); err != nil {
		return err
	}
	record := make([]string, len(rep.Columns))
	n := 0
	err := rep.Rows(ctx, func(row []any) error {
		for i, v := range row {
			record[i] = csvCell(v)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		if n++; n%exportRowBatch == 0 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			progress()
		}
		return nil
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// csvCell renders a value; text beginning with = + - @ (or a tab or
// carriage return) is prefixed with an apostrophe so that a spreadsheet
// shows it rather than evaluating it. Numbers are written as numbers.
func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// writeJSON writes the list shape every list answer has, one object per row
// with the report's columns as keys, in order.
func writeJSON(ctx context.Context, w *bufio.Writer, rep app.Report, progress func()) error {
	keys := make([][]byte, len(rep.Columns))
	for i, col := range rep.Columns {
		k, _ := json.Marshal(col)
		keys[i] = append(k, ':')
	}
	if _, err := w.WriteString(`{"items":[`); err != nil {
		return err
	}
	first := true
	n := 0
	var buf []byte
	err := rep.Rows(ctx, func(row []any) error {
		buf = buf[:0]
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, '{')
		for i, v := range row {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, keys[i]...)
			val, err := json.Marshal(v)
			if err != nil {
				return err
			}
			buf = append(buf, val...)
		}
		buf = append(buf, '}')
		if _, err := w.Write(buf); err != nil {
			return err
		}
		if n++; n%exportRowBatch == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			progress()
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString(`],"next_cursor":null}`)
	return err
}
