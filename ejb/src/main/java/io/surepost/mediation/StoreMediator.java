package io.surepost.mediation;

import io.surepost.message.SoapMessage;
import io.surepost.store.OriginalStore;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.jboss.logging.Logger;

/**
 * The seed's store mediator: puts an accepted message into the Original store and returns
 * only once it is durable there; otherwise it says, with a reason a person can act on,
 * that nothing was stored.
 * <p>
 * It runs outside any transaction on purpose: the send commits in its own transaction
 * inside {@link OriginalStore#send}, so a failure of the send <em>or of its commit</em>
 * arrives here as an exception.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StoreMediator {

    private static final Logger LOG = Logger.getLogger("io.surepost.mediation");

    @EJB
    private OriginalStore original;

    /**
     * Stores the message durably.
     *
     * @return the message id
     * @throws StoreUnavailableException when no store took the message
     */
    public String store(SoapMessage message) throws StoreUnavailableException {
        try {
            original.send(message);
        } catch (EJBException | IllegalStateException e) {
            LOG.warnf("Message %s: the Original store (JMS broker) did not take it: %s", message.id(), Failures.rootMessage(e));
            throw new StoreUnavailableException(message.id(),
                    "The message was not stored: the message broker is unavailable (" + Failures.rootText(e)
                            + "). Nothing was kept; send the message again later.", e);
        }
        LOG.infof("Message %s stored in Original", message.id());
        return message.id();
    }
}
