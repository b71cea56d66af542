package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	fastjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// stream is a jsonrpc2.Stream with LSP's Content-Length framing that
// survives bad input: the library's stream closes the connection on the
// first malformed frame, and the server with it. Here a frame that does not
// decode is logged and skipped, a bad header is skipped up to the next
// blank line, and only the end of the input ends the stream.
type stream struct {
	in  *bufio.Reader
	out io.Writer
	wmu sync.Mutex
	log *zap.Logger
	// onBad is told about a request whose id could be read but whose frame
	// could not, so that it still gets an error reply.
	onBad func(id json.RawMessage, err error)
	close func() error
}

const maxFrame = 256 << 20

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length := int64(-1)
		var total int64
		sawHeader := false
		for {
			line, err := s.in.ReadString('\n')
			total += int64(len(line))
			if err != nil {
				return nil, total, err
			}
			line = strings.TrimSpace(line)
			if line == "" {
				if !sawHeader {
					continue // stray blank lines between frames
				}
				break
			}
			sawHeader = true
			// After a frame whose Content-Length was too short, the rest of
			// its body runs into the next header on one line.
			if i := strings.Index(strings.ToLower(line), "content-length:"); i > 0 {
				line = line[i:]
			}
			name, value, ok := strings.Cut(line, ":")
			if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
				if n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64); err == nil && n >= 0 && n <= maxFrame {
					length = n
				}
			}
		}
		if length < 0 {
			s.log.Warn("skipping a frame without a valid Content-Length header")
			continue
		}
		data := make([]byte, length)
		if _, err := io.ReadFull(s.in, data); err != nil {
			return nil, total, err
		}
		total += length
		msg, err := decodeMessage(data)
		if err != nil {
			s.log.Warn("skipping a frame that is not a JSON-RPC message", zap.Error(err), zap.ByteString("frame", data[:min(len(data), 200)]))
			var probe struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
			}
			if json.Unmarshal(data, &probe) == nil && len(probe.ID) > 0 && probe.Method != "" && s.onBad != nil {
				s.onBad(probe.ID, err)
			}
			continue
		}
		return msg, total, nil
	}
}

func (s *stream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	if r, ok := msg.(*jsonrpc2.Response); ok && r.Err() == nil {
		return s.writeResult(r)
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return s.writeRaw(data)
}

// wireMessage is any JSON-RPC message on the wire.
type wireMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *jsonrpc2.Error `json:"error"`
}

// decodeMessage is jsonrpc2.DecodeMessage without its cost: the library
// runs a streaming decoder over the frame, which allocates a buffer of
// about 18 KB per message: at a hover per keystroke, garbage whose
// collections would slow every request. The frame is decoded by
// segmentio's decoder (the one the library encodes with), several times
// faster than encoding/json's on the megabyte of a checkout's file
// events, which the edits behind them wait for.
func decodeMessage(data []byte) (jsonrpc2.Message, error) {
	var m wireMessage
	if err := fastjson.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("unmarshaling jsonrpc message: %w", err)
	}
	var id *jsonrpc2.ID
	if len(m.ID) > 0 && string(m.ID) != "null" {
		var n int32
		var name string
		switch {
		case json.Unmarshal(m.ID, &n) == nil:
			v := jsonrpc2.NewNumberID(n)
			id = &v
		case json.Unmarshal(m.ID, &name) == nil:
			v := jsonrpc2.NewStringID(name)
			id = &v
		default:
			return nil, fmt.Errorf("unmarshaling jsonrpc message: bad id %s", m.ID)
		}
	}
	params := m.Params
	if len(params) == 0 {
		params = nil
	}
	switch {
	case m.Method == "" && id == nil:
		return nil, jsonrpc2.ErrInvalidRequest
	case m.Method == "":
		var err error
		if m.Error != nil {
			err = m.Error
		}
		return jsonrpc2.NewResponse(*id, m.Result, err)
	case id == nil:
		return jsonrpc2.NewNotification(m.Method, params)
	}
	return jsonrpc2.NewCall(*id, m.Method, params)
}

// writeResult frames a successful reply around its result as it is.
// Through json.Marshal the library's Response re-encodes its result twice,
// scanning and copying it each time: for a completion list of tens of
// kilobytes that was most of what the request allocated.
func (s *stream) writeResult(r *jsonrpc2.Response) (int64, error) {
	rid := r.ID()
	id, err := json.Marshal(&rid) // ID marshals through its pointer only
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	result := r.Result()
	if len(result) == 0 {
		result = json.RawMessage("null")
	}
	return s.writeRaw([]byte(`{"jsonrpc":"2.0","id":`), id, []byte(`,"result":`), result, []byte("}"))
}

// writeRaw sends one message whose body is the concatenation of parts, in
// one write: the header and the body together.
func (s *stream) writeRaw(parts ...[]byte) (int64, error) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	frame := make([]byte, 0, n+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(n), 10)
	frame = append(frame, "\r\n\r\n"...)
	for _, p := range parts {
		frame = append(frame, p...)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	w, err := s.out.Write(frame)
	return int64(w), err
}

func (s *stream) Close() error {
	if s.close != nil {
		return s.close()
	}
	return nil
}

// idKey turns a JSON request id into a map key, so that a numeric id from
// $/cancelRequest (decoded as a float) and the request's own id match.
func idKeyOf(raw json.RawMessage) string {
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		return "n" + strconv.FormatInt(int64(n), 10)
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return "s" + s
	}
	return "?" + string(raw)
}

func callIDKey(id jsonrpc2.ID) string {
	raw, _ := json.Marshal(&id)
	return idKeyOf(raw)
}
