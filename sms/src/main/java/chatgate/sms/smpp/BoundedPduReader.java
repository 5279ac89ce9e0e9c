package chatgate.sms.smpp;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.InvalidCommandLengthException;
import org.jsmpp.bean.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jSMPP's PDU reader with the bounds it lacks (issue 15), one per session.
 *
 * <ul>
 *   <li>A command_length beyond any legal PDU is refused before anything is allocated (jSMPP
 *       allocated it whole: 2 GiB killed its reader thread and left a dead bind). jSMPP answers
 *       generic_nack ESME_RINVCMDLEN and closes the bind, since the stream cannot be trusted any
 *       more; the link reconnects at once.
 *   <li>A deliver_sm or data_sm with a TLV of 32 KiB or more (jSMPP reads TLV lengths as signed
 *       shorts, and its PDU thread died on it, never answering) is handed on without its TLVs and
 *       its sequence number noted, so the receiver answers it ESME_RINVMSGLEN and the bind goes on.
 * </ul>
 */
final class BoundedPduReader extends DefaultPDUReader {
  private static final Logger log = LoggerFactory.getLogger(BoundedPduReader.class);
  /** The largest PDU read: a 64 KiB message_payload and every mandatory field, with room to spare. */
  static final int MAX_PDU = 70_000;
  private static final int HEADER = 16;
  private static final int DELIVER_SM = 0x00000005;
  private static final int DATA_SM = 0x00000103;
  private static final int TLV_MAX = Short.MAX_VALUE;

  private final Set<Integer> oversized = ConcurrentHashMap.newKeySet();
  private volatile boolean broken;

  /** A command_length was refused: the rest of the stream cannot be read, the session must close. */
  boolean streamBroken() {
    return broken;
  }

  /** Whether the deliver_sm of this sequence number came with a TLV too long to read (forgets it). */
  boolean tookOversized(int sequenceNumber) {
    return oversized.remove(sequenceNumber);
  }

  @Override
  public Command readPDUHeader(DataInputStream in) throws InvalidCommandLengthException, IOException {
    Command header = super.readPDUHeader(in);
    if (header.getCommandLength() > MAX_PDU) {
      broken = true;
      log.warn("smpp PDU from the SMSC claims {} octets, more than any legal PDU: generic_nack, rebinding",
          Integer.toUnsignedString(header.getCommandLength()));
      throw new InvalidCommandLengthException("command_length " + header.getCommandLength() + " over " + MAX_PDU);
    }
    return header;
  }

  @Override
  public byte[] readPDU(DataInputStream in, int commandLength, int commandId, int commandStatus, int sequenceNumber)
      throws IOException {
    byte[] pdu = super.readPDU(in, commandLength, commandId, commandStatus, sequenceNumber);
    if (commandId != DELIVER_SM && commandId != DATA_SM) {
      return pdu;
    }
    int tlvs = tlvStart(pdu, commandId);
    if (tlvs < 0 || !anyOversized(pdu, tlvs)) {
      return pdu;
    }
    oversized.add(sequenceNumber);
    log.warn("smpp deliver_sm {} carries a TLV of 32 KiB or more: answered ESME_RINVMSGLEN", sequenceNumber);
    byte[] cut = Arrays.copyOf(pdu, tlvs);
    cut[0] = (byte) (tlvs >>> 24);
    cut[1] = (byte) (tlvs >>> 16);
    cut[2] = (byte) (tlvs >>> 8);
    cut[3] = (byte) tlvs;
    return cut;
  }

  /** Where the TLVs start: after the mandatory fields of deliver_sm or data_sm; -1 if they run out. */
  static int tlvStart(byte[] pdu, int commandId) {
    int at = cString(pdu, HEADER); // service_type
    at = cString(pdu, at + 2); // source_addr_ton, source_addr_npi, source_addr
    at = cString(pdu, at + 2); // dest_addr_ton, dest_addr_npi, destination_addr
    if (commandId == DATA_SM) {
      at += 3; // esm_class, registered_delivery, data_coding
      return at <= pdu.length ? at : -1;
    }
    at += 3; // esm_class, protocol_id, priority_flag
    at = cString(pdu, at); // schedule_delivery_time
    at = cString(pdu, at); // validity_period
    at += 4; // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
    if (at < 0 || at >= pdu.length) {
      return -1;
    }
    int smLength = pdu[at] & 0xFF;
    at += 1 + smLength;
    return at <= pdu.length ? at : -1;
  }

  /** The end of a NUL-terminated string starting at {@code from} (after its NUL); past the end if none. */
  private static int cString(byte[] pdu, int from) {
    if (from < 0) {
      return -1;
    }
    for (int i = from; i < pdu.length; i++) {
      if (pdu[i] == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private static boolean anyOversized(byte[] pdu, int at) {
    while (at + 4 <= pdu.length) {
      int length = ((pdu[at + 2] & 0xFF) << 8) | (pdu[at + 3] & 0xFF);
      if (length > TLV_MAX) {
        return true;
      }
      at += 4 + length;
    }
    return false;
  }
}
