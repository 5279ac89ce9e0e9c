#!/usr/bin/env node
// An independent SMSC (SMPP 3.4 server) for chatgate's integration tests, built on node-smpp
// (npm "smpp", pinned in package.json). It is driven by chatgate.sms.peer.NodeSmsc:
//   stdout: one JSON event per line (the protocol; nothing else is written there)
//   stdin:  one JSON command per line, each acknowledged by {"event":"ok"|"error","cmd":..}
//   stderr: free text for humans
//
//   node smsc.js --port 0 --system-id gw --password secret [--msg-id hex|dec] [--throttle N] [--no-dlr]
'use strict';

const readline = require('readline');
const smpp = require('smpp');

// ---------------------------------------------------------------------------------------------
// Raw short_message octets. node-smpp decodes short_message (and message_payload) while it parses
// a PDU: the "message" filter turns the octet string into {udh: [...], message: '<text>'}. The
// filter's decode function receives the exact octets read from the wire (the slice after
// sm_length), so we wrap it and keep a copy of those octets on the decoded object as a
// non-enumerable property "raw" (non-enumerable so node-smpp's own for..in walks never see it).
// Nothing is re-encoded. The whole PDU as received is kept the same way (PDU#_raw) so that the
// events can also carry it for byte-level checks.
// ---------------------------------------------------------------------------------------------
const messageFilter = smpp.filters.message;
const originalDecode = messageFilter.decode;
messageFilter.decode = function (value, skipUdh) {
  const result = originalDecode.call(this, value, skipUdh);
  if (Buffer.isBuffer(value) && result && typeof result === 'object' && !Buffer.isBuffer(result)) {
    Object.defineProperty(result, 'raw', { value: Buffer.from(value), enumerable: false });
  }
  return result;
};
const originalFromBuffer = smpp.PDU.prototype.fromBuffer;
smpp.PDU.prototype.fromBuffer = function (buffer) {
  Object.defineProperty(this, '_raw', { value: Buffer.from(buffer), enumerable: false, writable: true });
  return originalFromBuffer.call(this, buffer);
};

function rawOf(decoded) {
  if (decoded === undefined || decoded === null) return null;
  if (Buffer.isBuffer(decoded)) return decoded;
  return decoded.raw || null;
}

function textOf(decoded) {
  return decoded && typeof decoded === 'object' && typeof decoded.message === 'string' ? decoded.message : null;
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', systemId: 'gw', password: 'secret', msgId: 'hex', throttle: 0, dlr: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error('missing value after ' + a);
      return argv[++i];
    };
    switch (a) {
      case '--port': opts.port = Number(next()); break;
      case '--host': opts.host = next(); break;
      case '--system-id': opts.systemId = next(); break;
      case '--password': opts.password = next(); break;
      case '--msg-id': opts.msgId = next(); break;
      case '--throttle': opts.throttle = Number(next()); break;
      case '--no-dlr': opts.dlr = false; break;
      default: throw new Error('unknown argument ' + a);
    }
  }
  if (opts.msgId !== 'hex' && opts.msgId !== 'dec') throw new Error('--msg-id must be hex or dec');
  if (!Number.isInteger(opts.throttle) || opts.throttle < 0) throw new Error('--throttle must be an integer >= 0');
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write('smsc: ' + e.message + '\n');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------
function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function log(msg) {
  process.stderr.write(msg + '\n');
}

function hex(buf) {
  return buf ? buf.toString('hex') : null;
}

function jsonValue(v) {
  if (v === undefined) return null;
  if (Buffer.isBuffer(v)) return hex(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    if (v.raw) return hex(v.raw); // a decoded message (message_payload)
    const out = {};
    for (const k of Object.keys(v)) out[k] = jsonValue(v[k]);
    return out;
  }
  return v;
}

// Optional parameters (TLVs) of a received PDU: known ones by node-smpp's name, unknown ones by
// their tag as "0x%04x" with the value in hex.
function tlvsOf(pdu) {
  const params = smpp.commands[pdu.command].params || {};
  const out = {};
  for (const key of Object.keys(pdu)) {
    if (key in params) continue;
    if (key in smpp.tlvs) out[key] = jsonValue(pdu[key]);
    else if (/^\d+$/.test(key)) out['0x' + Number(key).toString(16).padStart(4, '0')] = jsonValue(pdu[key]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------
const ESME_ROK = 0x00;
const ESME_RINVBNDSTS = smpp.ESME_RINVBNDSTS; // 0x04
const ESME_RALYBND = smpp.ESME_RALYBND; // 0x05
const ESME_RINVPASWD = smpp.ESME_RINVPASWD; // 0x0E
const ESME_RINVSYSID = smpp.ESME_RINVSYSID; // 0x0F
const ESME_RTHROTTLED = smpp.ESME_RTHROTTLED; // 0x58
const ESME_RINVCMDID = smpp.ESME_RINVCMDID; // 0x03

const REFUSED_BIND_GRACE_MS = 1000;

const MESSAGE_STATES = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 };

let nextSessionId = 1;
let nextMessageId = 1000;
let throttle = opts.throttle;
let acceptedTimes = []; // timestamps (ms) of accepted submit_sm within the last second
const sessions = new Map(); // id -> session (open connections)
const pendingDeliveries = []; // deliver_sm waiting for a receiving session: {options, onSent}
const refusals = new Map(); // destination_addr -> command_status its submit_sm is answered with
const receiptStats = new Map(); // destination_addr -> {stat, err} of the receipts for its SMS (else DELIVRD)

function newMessageId() {
  const n = nextMessageId++;
  return opts.msgId === 'hex' ? n.toString(16) : String(n);
}

function canReceive(session) {
  return session.bound === 'receiver' || session.bound === 'transceiver';
}

function receivingSession(preferred) {
  if (preferred && !preferred.closed && canReceive(preferred)) return preferred;
  for (const s of sessions.values()) if (!s.closed && canReceive(s)) return s;
  return null;
}

function throttled() {
  if (!throttle) return false;
  const now = Date.now();
  acceptedTimes = acceptedTimes.filter((t) => now - t < 1000);
  if (acceptedTimes.length >= throttle) return true;
  acceptedTimes.push(now);
  return false;
}

function smppDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes());
}

function receiptText(messageId, stat, err, submitDate, doneDate, quoted) {
  const dlvrd = stat === 'DELIVRD' ? '001' : '000';
  return 'id:' + messageId + ' sub:001 dlvrd:' + dlvrd + ' submit date:' + smppDate(submitDate) +
    ' done date:' + smppDate(doneDate) + ' stat:' + stat + ' err:' + err + ' text:' + (quoted || '');
}

// What a receipt quotes of the message (SMPP 3.4 Appendix B: its first 20 characters), as SMSCs
// do it: text alphabets as ASCII with '?' for the rest, nothing for UCS-2 or binary.
function quoteOf(pdu) {
  if (pdu.data_coding === 8 || pdu.data_coding === 4 || pdu.data_coding === 0xf5) return '';
  const text = textOf(pdu.short_message) || '';
  return text.slice(0, 20).replace(/[^\x20-\x7e]/g, '?');
}

// Sends a deliver_sm (options as node-smpp PDU fields; short_message a Buffer, sent as is) to a
// receiving session (preferred one first). Returns the session and sequence, or null if no
// session can receive.
function sendDeliverSm(options, preferred) {
  const session = receivingSession(preferred);
  if (!session) return null;
  const pdu = new smpp.PDU('deliver_sm', options);
  if (!session.send(pdu)) return null;
  return { session: session.id, sequence: pdu.sequence_number };
}

function flushPending() {
  while (pendingDeliveries.length) {
    const item = pendingDeliveries[0];
    const sent = sendDeliverSm(item.options, null);
    if (!sent) return;
    pendingDeliveries.shift();
    if (item.reliable) outstanding.set(sent.session + ':' + sent.sequence, item);
    item.onSent(sent);
  }
}

// Receipts the SMSC generates itself are stored and forwarded as a real SMSC does: one not
// answered with ESME_ROK (a temporary error such as 0x64, or the link lost before the answer) is
// sent again, on any receiving bind, until it is acknowledged.
const outstanding = new Map(); // "<session>:<sequence>" -> {options, onSent, reliable, tries}
const REDELIVER_MS = 500;
const MAX_TRIES = 240; // two minutes

function deliverReliably(item, preferred) {
  item.reliable = true;
  item.tries = (item.tries || 0) + 1;
  const sent = sendDeliverSm(item.options, preferred);
  if (!sent) {
    pendingDeliveries.push(item);
    emit({ event: 'dlr_queued', message_id: item.messageId });
    return;
  }
  outstanding.set(sent.session + ':' + sent.sequence, item);
  item.onSent(sent);
}

function redeliverLater(item, why) {
  if (item.tries >= MAX_TRIES) {
    emit({ event: 'dlr_given_up', message_id: item.messageId, why: why });
    return;
  }
  emit({ event: 'dlr_retry', message_id: item.messageId, why: why });
  setTimeout(() => deliverReliably(item, null), REDELIVER_MS);
}

function answered(session, pdu) {
  const key = session.id + ':' + pdu.sequence_number;
  const item = outstanding.get(key);
  if (!item) return;
  outstanding.delete(key);
  if (pdu.command_status !== ESME_ROK) redeliverLater(item, 'status 0x' + pdu.command_status.toString(16));
}

function sessionLost(session) {
  for (const [key, item] of outstanding) {
    if (key.startsWith(session.id + ':')) {
      outstanding.delete(key);
      redeliverLater(item, 'link lost before deliver_sm_resp');
    }
  }
}

function dlrOptions(d) {
  const stat = d.stat || 'DELIVRD';
  const state = d.message_state !== undefined ? d.message_state : MESSAGE_STATES[stat];
  if (state === undefined) throw new Error('unknown stat ' + stat + ' (give message_state)');
  const text = d.text !== undefined ? d.text
    : receiptText(d.message_id, stat, d.err || '000', d.submit_date || new Date(), new Date(), d.quoted);
  return {
    source_addr_ton: d.source_addr_ton || 0,
    source_addr_npi: d.source_addr_npi || 0,
    source_addr: d.source_addr || '',
    dest_addr_ton: d.dest_addr_ton || 0,
    dest_addr_npi: d.dest_addr_npi || 0,
    destination_addr: d.destination_addr || '',
    esm_class: 0x04,
    data_coding: 0,
    short_message: Buffer.from(text, 'latin1'),
    receipted_message_id: d.message_id,
    message_state: state,
  };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------
const BIND_MODES = { bind_transceiver: 'transceiver', bind_transmitter: 'transmitter', bind_receiver: 'receiver' };

const server = smpp.createServer((session) => {
  session.id = nextSessionId++;
  session.bound = null;
  session.closed = false;
  sessions.set(session.id, session);
  log('session ' + session.id + ' connected from ' + session.socket.remoteAddress + ':' + session.socket.remotePort);

  session.on('close', () => {
    session.closed = true;
    sessions.delete(session.id);
    emit({ event: 'close', session: session.id });
    sessionLost(session);
  });
  session.on('error', (e) => {
    log('session ' + session.id + ' error: ' + e.message);
    emit({ event: 'socket_error', session: session.id, message: e.message });
  });

  session.on('pdu', (pdu) => {
    try {
      handle(session, pdu);
    } catch (e) {
      log('session ' + session.id + ' failed on ' + pdu.command + ': ' + (e.stack || e));
    }
  });
});

function handle(session, pdu) {
  const command = pdu.command;
  if (BIND_MODES[command]) return onBind(session, pdu, BIND_MODES[command]);
  switch (command) {
    case 'enquire_link':
      emit({ event: 'enquire_link', session: session.id });
      session.send(pdu.response());
      return;
    case 'unbind':
      emit({ event: 'unbind', session: session.id });
      session.bound = null;
      session.send(pdu.response(), () => session.close());
      return;
    case 'submit_sm':
      return onSubmit(session, pdu);
    case 'deliver_sm_resp':
      emit({ event: 'deliver_sm_resp', session: session.id, sequence: pdu.sequence_number, command_status: pdu.command_status });
      answered(session, pdu);
      return;
    case 'generic_nack':
      emit({ event: 'generic_nack', session: session.id, sequence: pdu.sequence_number, command_status: pdu.command_status });
      return;
    case 'enquire_link_resp':
    case 'unbind_resp':
      emit({ event: command, session: session.id, sequence: pdu.sequence_number });
      return;
    default:
      if (pdu.isResponse()) {
        emit({ event: command, session: session.id, sequence: pdu.sequence_number, command_status: pdu.command_status });
        return;
      }
      emit({ event: 'unsupported', session: session.id, command: command, command_id: pdu.command_id, sequence: pdu.sequence_number });
      // unknown command ids get generic_nack (node-smpp's response()), known ones <cmd>_resp.
      session.send(pdu.response({ command_status: ESME_RINVCMDID }));
  }
}

function onBind(session, pdu, mode) {
  let status = ESME_ROK;
  if (session.bound) status = ESME_RALYBND;
  else if (pdu.system_id !== opts.systemId) status = ESME_RINVSYSID;
  else if (pdu.password !== opts.password) status = ESME_RINVPASWD;
  const ok = status === ESME_ROK;
  emit({ event: 'bind', session: session.id, mode: mode, system_id: pdu.system_id, ok: ok, command_status: status });
  if (ok) {
    session.bound = mode;
    session.send(pdu.response({ system_id: 'nodesmsc' }));
    if (canReceive(session)) flushPending();
  } else if (status === ESME_RALYBND) {
    session.send(pdu.response({ command_status: status }));
  } else {
    // Refused: the client is expected to close. Closing at once right after the response races
    // with jSMPP, which then sometimes loses the bind_resp and reports a response timeout instead
    // of the negative response; so the server closes only after a grace period.
    session.send(pdu.response({ command_status: status }), () => {
      setTimeout(() => { if (!session.closed) session.close(); }, REFUSED_BIND_GRACE_MS);
    });
  }
}

function onSubmit(session, pdu) {
  const raw = rawOf(pdu.short_message) || Buffer.alloc(0);
  const payloadRaw = rawOf(pdu.message_payload);
  const udhi = (pdu.esm_class & 0x40) !== 0;
  const event = {
    event: 'submit_sm',
    at_ms: Date.now(),
    session: session.id,
    sequence: pdu.sequence_number,
    status: 0,
    message_id: null,
    service_type: pdu.service_type,
    source_addr: pdu.source_addr,
    source_addr_ton: pdu.source_addr_ton,
    source_addr_npi: pdu.source_addr_npi,
    destination_addr: pdu.destination_addr,
    dest_addr_ton: pdu.dest_addr_ton,
    dest_addr_npi: pdu.dest_addr_npi,
    esm_class: pdu.esm_class,
    protocol_id: pdu.protocol_id,
    priority_flag: pdu.priority_flag,
    registered_delivery: pdu.registered_delivery,
    data_coding: pdu.data_coding,
    short_message_hex: hex(raw),
    udh_hex: udhi && raw.length > 0 ? hex(raw.slice(0, Math.min(raw.length, raw[0] + 1))) : null,
    text: textOf(pdu.short_message),
    message_payload_hex: payloadRaw ? hex(payloadRaw) : null,
    tlvs: tlvsOf(pdu),
    pdu_hex: hex(pdu._raw),
    dlr_scheduled: false,
  };
  let status = ESME_ROK;
  if (session.bound !== 'transmitter' && session.bound !== 'transceiver') status = ESME_RINVBNDSTS;
  else if (refusals.has(pdu.destination_addr)) status = refusals.get(pdu.destination_addr);
  else if (throttled()) status = ESME_RTHROTTLED;
  event.status = status;
  if (status !== ESME_ROK) {
    emit(event);
    session.send(pdu.response({ command_status: status }));
    return;
  }
  const messageId = newMessageId();
  const submitDate = new Date();
  const wantsDlr = opts.dlr && (pdu.registered_delivery & 0x01) !== 0;
  const quoted = quoteOf(pdu);
  event.message_id = messageId;
  event.dlr_scheduled = wantsDlr;
  emit(event);
  session.send(pdu.response({ message_id: messageId }), () => {
    if (!wantsDlr) return;
    const outcome = receiptStats.get(pdu.destination_addr) || { stat: 'DELIVRD', err: '000' };
    setTimeout(() => {
      const options = dlrOptions({
        message_id: messageId,
        stat: outcome.stat,
        err: outcome.err,
        submit_date: submitDate,
        source_addr: pdu.destination_addr,
        source_addr_ton: pdu.dest_addr_ton,
        source_addr_npi: pdu.dest_addr_npi,
        destination_addr: pdu.source_addr,
        dest_addr_ton: pdu.source_addr_ton,
        dest_addr_npi: pdu.source_addr_npi,
        quoted: quoted,
      });
      const onSent = (sent) => emit({ event: 'dlr_sent', message_id: messageId, stat: outcome.stat, session: sent.session, sequence: sent.sequence });
      deliverReliably({ options, onSent, messageId }, session);
    }, 10);
  });
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------
function hexBuffer(value, what) {
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) throw new Error(what + ' must be an even-length hex string');
  return Buffer.from(value, 'hex');
}

// "tlvs": {"<node-smpp name>": value | {"hex": ".."}, "0x1401": "<hex>"}
function applyTlvs(options, tlvs) {
  if (!tlvs) return;
  for (const key of Object.keys(tlvs)) {
    let value = tlvs[key];
    if (value && typeof value === 'object' && 'hex' in value) value = hexBuffer(value.hex, 'tlvs.' + key + '.hex');
    if (key in smpp.tlvs) {
      options[key] = value;
      continue;
    }
    const tag = /^0x[0-9a-fA-F]{1,4}$/.test(key) ? parseInt(key, 16) : /^\d+$/.test(key) ? Number(key) : NaN;
    if (!(tag >= 0 && tag <= 0xffff)) throw new Error('unknown TLV ' + key + ' (use a node-smpp name or a numeric tag)');
    // An unknown tag: register it with node-smpp as a raw octet-string TLV under a synthetic name.
    let name = smpp.tlvsById[tag] ? smpp.tlvsById[tag].tag : null;
    if (!name) {
      name = 'tag_0x' + tag.toString(16).padStart(4, '0');
      smpp.addTLV(name, { id: tag, type: smpp.types.tlv.buffer });
    }
    options[name] = Buffer.isBuffer(value) ? value : hexBuffer(value, 'tlvs.' + key);
  }
}

function deliverOrQueue(cmd, options, sentEvent) {
  const onSent = (sent) => emit(Object.assign({}, sentEvent, { session: sent.session, sequence: sent.sequence }));
  const sent = sendDeliverSm(options, cmd.session !== undefined ? sessions.get(cmd.session) : null);
  if (sent) {
    onSent(sent);
    return { session: sent.session, sequence: sent.sequence };
  }
  if (!cmd.queue) throw new Error('no session bound as receiver or transceiver');
  pendingDeliveries.push({ options, onSent });
  return { queued: true };
}

const commands = {
  mo(cmd) {
    const options = {
      service_type: cmd.service_type || '',
      source_addr_ton: cmd.source_addr_ton || 0,
      source_addr_npi: cmd.source_addr_npi || 0,
      source_addr: cmd.source_addr || '',
      dest_addr_ton: cmd.dest_addr_ton || 0,
      dest_addr_npi: cmd.dest_addr_npi || 0,
      destination_addr: cmd.destination_addr || '',
      esm_class: cmd.esm_class || 0,
      protocol_id: cmd.protocol_id || 0,
      data_coding: cmd.data_coding || 0,
      short_message: hexBuffer(cmd.short_message_hex || '', 'short_message_hex'),
    };
    applyTlvs(options, cmd.tlvs);
    return deliverOrQueue(cmd, options, { event: 'mo_sent' });
  },
  // An MO (or, with esm_class 0x04 and the receipt TLVs, a delivery receipt) as data_sm (SMPP 3.4
  // 4.7): no short_message, the text in message_payload ("message_payload_hex"). Answered by the
  // client with data_sm_resp, reported as a "data_sm_resp" event like any response.
  data_sm(cmd) {
    const options = {
      service_type: cmd.service_type || '',
      source_addr_ton: cmd.source_addr_ton || 0,
      source_addr_npi: cmd.source_addr_npi || 0,
      source_addr: cmd.source_addr || '',
      dest_addr_ton: cmd.dest_addr_ton || 0,
      dest_addr_npi: cmd.dest_addr_npi || 0,
      destination_addr: cmd.destination_addr || '',
      esm_class: cmd.esm_class || 0,
      registered_delivery: cmd.registered_delivery || 0,
      data_coding: cmd.data_coding || 0,
    };
    if (cmd.message_payload_hex !== undefined) {
      options.message_payload = hexBuffer(cmd.message_payload_hex, 'message_payload_hex');
    }
    applyTlvs(options, cmd.tlvs);
    const session = receivingSession(cmd.session !== undefined ? sessions.get(cmd.session) : null);
    if (!session) throw new Error('no session bound as receiver or transceiver');
    const pdu = new smpp.PDU('data_sm', options);
    if (!session.send(pdu)) throw new Error('data_sm not sent');
    emit({ event: 'data_sm_sent', session: session.id, sequence: pdu.sequence_number });
    return { session: session.id, sequence: pdu.sequence_number };
  },
  dlr(cmd) {
    if (!cmd.message_id) throw new Error('message_id is required');
    const options = dlrOptions(cmd);
    applyTlvs(options, cmd.tlvs);
    return deliverOrQueue(cmd, options, { event: 'dlr_sent', message_id: cmd.message_id, stat: cmd.stat || 'DELIVRD' });
  },
  drop(cmd) {
    const all = Array.from(sessions.values());
    for (const s of all) {
      s.closed = true;
      if (cmd.mode !== 'fin' && typeof s.socket.resetAndDestroy === 'function') s.socket.resetAndDestroy();
      else s.socket.destroy();
    }
    emit({ event: 'dropped', count: all.length });
    return { count: all.length };
  },
  // Raw octets written to one session's socket as they are: PDUs node-smpp would never build
  // (a command_length far beyond any legal PDU, say), for a hostile-SMSC test.
  raw(cmd) {
    const s = sessions.get(cmd.session);
    if (!s || s.closed) throw new Error('no open session ' + cmd.session);
    s.socket.write(hexBuffer(cmd.hex || '', 'hex'));
    return {};
  },
  // Answers every later submit_sm to this destination_addr with this command_status (0 stops it),
  // as an SMSC refuses a number it cannot reach (0x0B: invalid destination address).
  refuse(cmd) {
    if (typeof cmd.destination !== 'string') throw new Error('destination is required');
    if (!Number.isInteger(cmd.status) || cmd.status < 0) throw new Error('status must be an integer >= 0');
    if (cmd.status === 0) refusals.delete(cmd.destination);
    else refusals.set(cmd.destination, cmd.status);
    return {};
  },
  // The receipts the SMSC sends by itself for later SMS to this destination_addr say this stat
  // (and err) instead of DELIVRD; no stat goes back to DELIVRD.
  receipts(cmd) {
    if (typeof cmd.destination !== 'string') throw new Error('destination is required');
    if (!cmd.stat) receiptStats.delete(cmd.destination);
    else receiptStats.set(cmd.destination, { stat: String(cmd.stat), err: String(cmd.err || '000') });
    return {};
  },
  throttle(cmd) {
    if (!Number.isInteger(cmd.n) || cmd.n < 0) throw new Error('n must be an integer >= 0');
    throttle = cmd.n;
    acceptedTimes = [];
    return {};
  },
  stop(cmd) {
    shutdown(0, 'stop', cmd);
    return null; // acknowledged by shutdown, just before the exit
  },
};

function ack(cmd, extra) {
  const out = Object.assign({ event: 'ok', cmd: cmd.cmd }, extra || {});
  if (cmd.id !== undefined) out.id = cmd.id;
  emit(out);
}

function onCommandLine(line) {
  if (!line.trim()) return;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    emit({ event: 'error', cmd: null, message: 'not JSON: ' + e.message });
    return;
  }
  try {
    const handler = Object.prototype.hasOwnProperty.call(commands, cmd.cmd) ? commands[cmd.cmd] : null;
    if (!handler) throw new Error('unknown command ' + JSON.stringify(cmd.cmd));
    const result = handler(cmd);
    if (result !== null) ack(cmd, result);
  } catch (e) {
    const out = { event: 'error', cmd: cmd.cmd === undefined ? null : cmd.cmd, message: e.message };
    if (cmd.id !== undefined) out.id = cmd.id;
    emit(out);
  }
}

let stopping = false;
function shutdown(code, why, stopCmd) {
  if (stopping) return;
  stopping = true;
  log('smsc: shutting down (' + why + ')');
  server.close();
  for (const s of sessions.values()) s.socket.destroy();
  if (stopCmd) ack(stopCmd);
  process.exit(code);
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', onCommandLine);
// The parent (the JVM) went away: do not linger.
rl.on('close', () => shutdown(0, 'stdin closed'));

process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));

server.on('error', (e) => {
  log('smsc: server error: ' + (e.stack || e));
  process.exit(1);
});

server.listen(opts.port, opts.host, () => {
  const port = server.address().port;
  log('smsc: listening on ' + opts.host + ':' + port + ' (system_id ' + opts.systemId + ', msg-id ' + opts.msgId +
    ', throttle ' + (throttle || 'none') + ', dlr ' + (opts.dlr ? 'on' : 'off') + ')');
  emit({ event: 'listening', port: port });
});
