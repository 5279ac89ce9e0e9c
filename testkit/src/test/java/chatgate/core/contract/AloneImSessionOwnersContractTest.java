package chatgate.core.contract;

import chatgate.core.port.ImSessionOwners;

/** A single node: it holds every session and hands nothing over. */
class AloneImSessionOwnersContractTest implements ImSessionOwnersContract {
  @Override
  public ImSessionOwners owners() {
    return ImSessionOwners.ALONE;
  }
}
