package keyquota.application.projection;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.infrastructure.readmodel.ReadModel;
import keyquota.infrastructure.readmodel.ReadModelPositions;
import keyquota.infrastructure.readmodel.ReadModelRebuild;
import keyquota.infrastructure.readmodel.ReadModelStatus;
import keyquota.projections.ReadModels;
import org.springframework.stereotype.Service;

import java.util.List;

/** The operator's read models: where each stands, and rebuilding one from the event store. */
@Service
public class ReadModelAdministration {

    private final ReadModels readModels;
    private final ReadModelPositions positions;
    private final ReadModelRebuild rebuild;

    public ReadModelAdministration(ReadModels readModels, ReadModelPositions positions, ReadModelRebuild rebuild) {
        this.readModels = readModels;
        this.positions = positions;
        this.rebuild = rebuild;
    }

    public List<ReadModelStatus> status(Principal principal) {
        Access.ensureOperator(principal);
        return positions.status(readModels.all());
    }

    /** Starts a rebuild of the named read model, unless one is already running on some node. */
    public void rebuild(Principal principal, String name) {
        Access.ensureOperator(principal);
        ReadModel model = readModels.find(name).orElseThrow(
                () -> new DomainException(ErrorCode.NOT_FOUND, "No read model named " + name + "."));
        rebuild.start(model);
    }
}
