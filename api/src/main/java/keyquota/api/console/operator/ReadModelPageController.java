package keyquota.api.console.operator;

import keyquota.application.auth.Principal;
import keyquota.application.projection.ReadModelAdministration;
import keyquota.infrastructure.readmodel.ReadModelStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;

/**
 * The operator's read models: where each stands, as the admin API gives it, and rebuilding one from the event
 * store. While a rebuild runs the table polls itself every second; each poll names the read models it saw
 * rebuilding, so that the one which sees a rebuild over announces how it ended. Members are refused.
 */
@Controller
@RequestMapping("/read-models")
class ReadModelPageController {

    private final ReadModelAdministration readModels;

    ReadModelPageController(ReadModelAdministration readModels) {
        this.readModels = readModels;
    }

    /** @param rebuilding the read models the previous poll saw rebuilding */
    @GetMapping
    String page(@AuthenticationPrincipal Principal principal,
                @RequestParam(required = false) List<String> rebuilding,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        List<ReadModelStatus> status = readModels.status(principal);
        model.addAttribute("readModels", status);
        model.addAttribute("ended", rebuilding == null ? List.of() : status.stream()
                .filter(readModel -> !readModel.replaying() && rebuilding.contains(readModel.name()))
                .toList());
        return "read-models-table".equals(target) ? "console/read-models :: update" : "console/read-models";
    }

    @PostMapping("/{name}/replay")
    String replay(@AuthenticationPrincipal Principal principal, @PathVariable String name, Model model) {
        boolean running = readModels.status(principal).stream()
                .anyMatch(readModel -> readModel.name().equals(name) && readModel.replaying());
        if (!running) {
            readModels.rebuild(principal, name);
        }
        model.addAttribute("readModels", readModels.status(principal));
        model.addAttribute("ended", List.of());
        model.addAttribute("message", running ? "readModels.alreadyRebuilding" : "readModels.started");
        model.addAttribute("name", name);
        return "console/read-models :: update";
    }
}
