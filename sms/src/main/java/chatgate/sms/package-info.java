/** chatgate SMS adapters (SMSC simulator, SMPP). */
package chatgate.sms;
