/** GENERATED from openapi/openapi.json by `npm run openapi`. Do not edit. */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the manager answers */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/properties": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The VM property catalogue: type, default and doc of each (qvm-prefs --help-properties) */
        get: operations["listProperties"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List VMs (admin.vm.List)
         * @description The answer has an ETag; sent back in If-None-Match, it is answered 304 while the page is unchanged.
         */
        get: operations["listVms"];
        put?: never;
        /** Create a VM (admin.vm.Create.<class>) */
        post: operations["createVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a VM with its properties (admin.vm.property.GetAll) */
        get: operations["getVm"];
        put?: never;
        post?: never;
        /** Remove a VM (admin.vm.Remove); refused while other VMs use it */
        delete: operations["deleteVm"];
        options?: never;
        head?: never;
        /** Set or reset properties (admin.vm.property.Set / Reset); null resets */
        patch: operations["updateVm"];
        trace?: never;
    };
    "/api/v1/vms/{name}/clone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clone a VM: its class (or the one given), label, template, the properties set on it, its tags (less created-by-*) and features, under a new name; all or nothing */
        post: operations["cloneVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tags of a VM (admin.vm.tag.List) */
        get: operations["listTags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add a tag (admin.vm.tag.Set); adding a present tag changes nothing */
        put: operations["addTag"];
        post?: never;
        /** Remove a tag (admin.vm.tag.Remove) */
        delete: operations["removeTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the features of a VM (admin.vm.feature.List) */
        get: operations["listFeatures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/features/{feature}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one feature (admin.vm.feature.Get) */
        get: operations["getFeature"];
        /** Set a feature (admin.vm.feature.Set) */
        put: operations["setFeature"];
        post?: never;
        /** Remove a feature (admin.vm.feature.Remove) */
        delete: operations["deleteFeature"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a halted VM (admin.vm.Start)
         * @description An action the VM’s state does not allow is 409 INVALID_STATE with the state in `details.state`.
         */
        post: operations["startVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a running VM: its vCPUs stop, memory stays (admin.vm.Pause)
         * @description An action the VM’s state does not allow is 409 INVALID_STATE with the state in `details.state`.
         */
        post: operations["pauseVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/unpause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unpause a paused VM (admin.vm.Unpause)
         * @description An action the VM’s state does not allow is 409 INVALID_STATE with the state in `details.state`.
         */
        post: operations["unpauseVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/kill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Destroy a VM at once (admin.vm.Kill)
         * @description An action the VM’s state does not allow is 409 INVALID_STATE with the state in `details.state`.
         */
        post: operations["killVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/shutdown": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the guest to shut down; it is killed after the timeout (admin.vm.Shutdown) */
        post: operations["shutdownVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tail of the guest console; upgrade to a websocket to follow it
         * @description As a websocket: first the kept tail, then every new chunk of output as a text message, until the VM stops (close code 1000) or the client goes. A halted VM refuses the upgrade with 409.
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/event-channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A running VM's event-channel ports, as lsevtchn shows them */
        get: operations["listEventChannels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A running VM's grant table, pinned entries and mappings (Xen's grant debug key) */
        get: operations["listGrants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counters of a VM: instructions, virtual and host CPU time, touched memory, syscalls and exits */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every VM's counters (instructions, host CPU time, memory); upgrade to a websocket for a sample every interval_ms
         * @description A management VM sees the VMs it may call admin.vm.Stats on. As a websocket: a HostStats message at once and then every `interval_ms`; rates are the differences between samples. A reader too slow to keep up skips samples.
         */
        get: operations["listStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/host": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The host CPUs vCPUs run on: load, the vCPUs bound to each, and each VM's CPU% (xl vcpu-list, xentop)
         * @description A management VM sees the VMs it may call admin.vm.Stats on.
         */
        get: operations["getHost"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List guest images */
        get: operations["listImages"];
        put?: never;
        /** Upload a guest image (programs as base64 ELF; body at most 16777216 bytes); every ELF is validated */
        post: operations["uploadImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a guest image */
        get: operations["getImage"];
        put?: never;
        post?: never;
        /** Remove an uploaded image; refused while VMs boot it, and for built-in images */
        delete: operations["deleteImage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/qrexec": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Call a qrexec service (or run a command line) in a VM as dom0, with stdin given and stdout/stderr returned
         * @description dom0 is trusted: no policy applies (qrexec-client in Qubes dom0). A websocket on GET of the same path streams instead: query service/argument/command/autostart; binary frames from the client are stdin, a text frame "EOF" ends it; the server sends binary frames whose first byte is 1 (stdout) or 2 (stderr), then a text frame {"exit_code":N,"error":…}.
         */
        post: operations["qrexecCall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend a running or paused VM to a file (admin.vm.Suspend)
         * @description Stops its vCPUs at an instruction boundary and writes its whole state (crash-safely: FILE.part, fsync, rename). Its domain keeps its event channels, grants and vchans: peers see it stalled, not dead. Progress is on the event stream (snapshot-progress).
         */
        post: operations["suspendVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{name}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a suspended VM from its snapshot (admin.vm.Resume)
         * @description The whole file is verified first (magic, version, checksum, structure, the VM’s state); a refused resume changes nothing.
         */
        post: operations["resumeVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The snapshot index, newest first, and the files without an entry */
        get: operations["listSnapshots"];
        put?: never;
        /** Suspend a group of VMs (or all) together into one consistent file */
        post: operations["createSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove every snapshot no VM is suspended into, with its file (and with orphans: true, the files without an index entry) */
        post: operations["pruneSnapshots"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One snapshot */
        get: operations["getSnapshot"];
        put?: never;
        post?: never;
        /** Remove a snapshot and its file (refused while a VM is suspended into it), or an orphan file by its name */
        delete: operations["deleteSnapshot"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume every VM suspended into this snapshot (a group resume) */
        post: operations["resumeSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event history after a cursor (admin.Events); upgrade to a websocket for the live stream
         * @description As HTTP: events with id > `since`, oldest first, at most `limit`. As a websocket (same path, `since` optional): first `{"type":"connection-established","last_id":N}`, then every event after `since` (or after N when `since` is absent) as `{"type":"event",...}` in id order, history then live, with no gap. A `since` beyond the last event counts as the last event: connection-established then names the real last id. Message schema: EventStreamMessage. A reader too slow to keep up is closed with code 1013; it reconnects with `since` set to the last id it saw. The HTTP answer has an ETag; sent back in If-None-Match, it is answered 304 while the page is unchanged.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List policy files (policy.List) */
        get: operations["listPolicyFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/files/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a policy file, with its ETag (policy.Get) */
        get: operations["getPolicyFile"];
        /**
         * Write a policy file (policy.Replace); refused, changing nothing, when the tree would not parse
         * @description If-Match: an ETag from GET (the write fails with 412 when the file changed since), or `*`. If-None-Match: `*` creates only.
         */
        put: operations["putPolicyFile"];
        post?: never;
        /** Remove a policy file (policy.Remove); refused when the rest would not parse */
        delete: operations["deletePolicyFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/files/{name}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of a policy file: who changed it and when */
        get: operations["getPolicyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lint a set of policy files (a whole tree) without storing anything */
        post: operations["checkPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry run: what the policy decides for a call, and the rule that decided (policy.Eval, qubes-issues #6264) */
        post: operations["evaluatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/qrexec/asks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Questions waiting for an answer (calls whose policy said ask) */
        get: operations["listAsks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/qrexec/asks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a question: allow with a target from its choices, or deny */
        post: operations["answerAsk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API tokens (never their secrets) */
        get: operations["listTokens"];
        put?: never;
        /** Create a token that acts as a management VM: its calls are checked against the policy as admin.* calls */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token */
        delete: operations["deleteToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ImageUploadInput: {
            /** @description Image name */
            name: string;
            /** @description Which program boots */
            kernel: string;
            /** @description Program name → static RV32IM ELF, base64 */
            programs: {
                [key: string]: string;
            };
            /** @default {} */
            services?: {
                [key: string]: {
                    builtin: string;
                } | {
                    program: string;
                };
            };
        };
        PolicyFileWriteInput: {
            /** @description The whole file, Qubes policy v5 syntax */
            content: string;
        };
        EvaluateRequestInput: {
            /** @description The calling VM (it need not exist) */
            source: string;
            /** @description What the caller asks for: a VM, dom0/@adminvm, @dispvm[:X], @default, uuid:… */
            target: string;
            /** @description Service name, e.g. qubes.GetDate; SERVICE+ARG is split */
            service: string;
            /**
             * @description Argument without or with its leading '+'
             * @default
             */
            argument?: string;
        };
        AskAnswerInput: {
            /** @constant */
            allow: true;
            /** @description One of the choices */
            target: string;
        } | {
            /** @constant */
            allow: false;
        };
        TokenCreateInput: {
            name: string;
            /** @description The management VM the token acts as */
            vm: string;
        };
        QrexecCallInput: {
            /** @description Service to call, e.g. qubes.VMShell or cella.Echo; SERVICE+ARG takes the argument */
            service?: string;
            /** @description The service argument, with or without its leading '+' */
            argument?: string;
            /** @description Instead of a service: a command line for the VM’s shell (as qvm-run sends it) */
            command?: string;
            /**
             * Format: base64
             * @description Bytes for the service’s stdin (up to 16 MiB), base64; then EOF
             * @default
             */
            stdin?: string;
            /**
             * @description Start the VM first when it is halted (qvm-run does; --no-autostart does not)
             * @default true
             */
            autostart?: boolean;
        };
        /** @description Properties to change; null resets a property to its default */
        VmPatchInput: {
            /** @description The VM name; a letter first, then letters, digits, `_ . -`, at most 31 characters. */
            name?: string | null;
            /** @description Colourful label of the VM: red, orange, yellow, green, gray, blue, purple or black. */
            label?: ("red" | "orange" | "yellow" | "green" | "gray" | "blue" | "purple" | "black") | null;
            /** @description The template this VM runs on: a TemplateVM for an AppVM, a VM with template_for_dispvms for a DispVM. */
            template?: string | null;
            /** @description Guest RAM in MiB, mapped at guest-physical 0x8000_0000 (at most 2047); host memory is spent only on pages the guest touches. */
            memory?: number | null;
            /** @description The most RAM the VM may be given, in MiB; at least `memory`. */
            maxmem?: number | null;
            /** @description Number of virtual CPUs; vCPU 0 starts the guest kernel. */
            vcpus?: number | null;
            /** @description The guest image the VM boots (an image name); AppVMs take their template’s. */
            kernel?: string | null;
            /** @description Start the VM when the manager starts. */
            autostart?: boolean | null;
            /** @description The disposable template used for @dispvm calls from this VM (a VM with template_for_dispvms). */
            default_dispvm?: string | null;
            /** @description Whether disposable VMs may be based on this VM. */
            template_for_dispvms?: boolean | null;
            /** @description Seconds a graceful shutdown may take before the VM is killed. */
            shutdown_timeout?: number | null;
            /** @description Seconds to wait for the qrexec agent of a starting VM. */
            qrexec_timeout?: number | null;
            /** @description Bytes of guest console output (stdout and stderr) the manager keeps for qvm-console; older output is dropped. */
            console_buffer?: number | null;
            /** @description Highest event-channel port the VM may allocate (Xen xl.cfg max_event_channels; 1023 for a 32-bit guest). */
            max_event_channels?: number | null;
            /** @description What a stop of the manager (SIGTERM, SIGINT) does to the VM while it runs: shutdown (gracefully, killed after shutdown_timeout, at most 10 s), kill, or suspend to a file, resumed when the manager starts again (libvirt-guests ON_SHUTDOWN=suspend). */
            on_host_stop?: ("suspend" | "shutdown" | "kill") | null;
            /** @description The host CPUs (CPU workers) the VM’s vCPUs may run on, in Xen vcpu-pin syntax (xl.cfg `cpus=`): `all`, or CPU numbers and ranges `a-b`, comma-separated, `^n` to leave one out (`0-3,^1`). The least loaded allowed CPU is taken when the VM starts; a CPU this host lacks refuses the start. GET /api/v1/host lists the CPUs. */
            cpu_affinity?: string | null;
            /** @description Suspend the VM to a file once it has been idle this many seconds (every vCPU blocked, no qrexec call in flight); 0 never. A qrexec call allowed to autostart it resumes it. */
            autosuspend_idle_s?: number | null;
        };
        VmCreateInput: {
            /** @description VM name (Qubes rule) */
            name: string;
            /**
             * @description VM class; AppVM when absent
             * @default AppVM
             * @enum {string}
             */
            class?: "AppVM" | "TemplateVM" | "StandaloneVM" | "DispVM";
            /**
             * @description Label (required, as in qvm-create)
             * @enum {string}
             */
            label: "red" | "orange" | "yellow" | "green" | "gray" | "blue" | "purple" | "black";
            /** @description Template (AppVM: a TemplateVM; DispVM: a disposable template) */
            template?: string;
            /**
             * @description Other properties to set
             * @default {}
             */
            properties?: {
                /** @description Guest RAM in MiB, mapped at guest-physical 0x8000_0000 (at most 2047); host memory is spent only on pages the guest touches. */
                memory?: number | null;
                /** @description The most RAM the VM may be given, in MiB; at least `memory`. */
                maxmem?: number | null;
                /** @description Number of virtual CPUs; vCPU 0 starts the guest kernel. */
                vcpus?: number | null;
                /** @description The guest image the VM boots (an image name); AppVMs take their template’s. */
                kernel?: string | null;
                /** @description Start the VM when the manager starts. */
                autostart?: boolean | null;
                /** @description The disposable template used for @dispvm calls from this VM (a VM with template_for_dispvms). */
                default_dispvm?: string | null;
                /** @description Whether disposable VMs may be based on this VM. */
                template_for_dispvms?: boolean | null;
                /** @description Seconds a graceful shutdown may take before the VM is killed. */
                shutdown_timeout?: number | null;
                /** @description Seconds to wait for the qrexec agent of a starting VM. */
                qrexec_timeout?: number | null;
                /** @description Bytes of guest console output (stdout and stderr) the manager keeps for qvm-console; older output is dropped. */
                console_buffer?: number | null;
                /** @description Highest event-channel port the VM may allocate (Xen xl.cfg max_event_channels; 1023 for a 32-bit guest). */
                max_event_channels?: number | null;
                /** @description What a stop of the manager (SIGTERM, SIGINT) does to the VM while it runs: shutdown (gracefully, killed after shutdown_timeout, at most 10 s), kill, or suspend to a file, resumed when the manager starts again (libvirt-guests ON_SHUTDOWN=suspend). */
                on_host_stop?: ("suspend" | "shutdown" | "kill") | null;
                /** @description The host CPUs (CPU workers) the VM’s vCPUs may run on, in Xen vcpu-pin syntax (xl.cfg `cpus=`): `all`, or CPU numbers and ranges `a-b`, comma-separated, `^n` to leave one out (`0-3,^1`). The least loaded allowed CPU is taken when the VM starts; a CPU this host lacks refuses the start. GET /api/v1/host lists the CPUs. */
                cpu_affinity?: string | null;
                /** @description Suspend the VM to a file once it has been idle this many seconds (every vCPU blocked, no qrexec call in flight); 0 never. A qrexec call allowed to autostart it resumes it. */
                autosuspend_idle_s?: number | null;
            };
        };
        SuspendRequestInput: {
            /** @description File name in the data directory’s snapshots/ (default: <id>.cella); an existing one is replaced only once the new file is whole */
            file?: string;
        };
        ResumeRequestInput: {
            /** @description The snapshot to resume from; by default the one the VM was suspended into */
            snapshot?: string;
        };
        SnapshotGroupRequestInput: {
            /** @description The VMs to suspend together */
            vms?: string[];
            /**
             * @description Every running or paused VM
             * @default false
             */
            all?: boolean;
            /**
             * @description With all: VMs to leave running
             * @default []
             */
            exclude?: string[];
            /** @description File name in the data directory’s snapshots/ (default: <id>.cella); an existing one is replaced only once the new file is whole */
            file?: string;
        };
        PruneRequestInput: {
            /** @description Remove the orphan files too (default false) */
            orphans?: boolean;
        };
        ShutdownRequestInput: {
            /**
             * @description Answer only once the VM has halted (or was killed at the timeout)
             * @default false
             */
            wait?: boolean;
            /** @description Seconds before the VM is killed; the VM's shutdown_timeout when absent */
            timeout?: number;
            /**
             * @description Shut down even if other VMs depend on it (Qubes --force)
             * @default false
             */
            force?: boolean;
        };
        FeatureSetInput: {
            /** @description Printable ASCII (0x20–0x7E) */
            value: string;
        };
        VmCloneInput: {
            /** @description Name of the new VM */
            name: string;
            /**
             * @description Class of the new VM; the source's when absent (qvm-clone -C)
             * @enum {string}
             */
            class?: "AppVM" | "TemplateVM" | "StandaloneVM" | "DispVM";
        };
        Problem: {
            /** @description URI naming the problem kind: urn:cella:problem:<code in lower case> */
            type: string;
            /** @description Short summary of the problem kind */
            title: string;
            /** @description HTTP status code */
            status: number;
            /** @description What went wrong with this request */
            detail: string;
            /**
             * @description Stable machine-readable code
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "MALFORMED_REQUEST" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "URI_TOO_LONG" | "HEADERS_TOO_LARGE" | "REQUEST_TIMEOUT" | "UNAUTHORIZED" | "ROUTE_NOT_FOUND" | "VM_NOT_FOUND" | "VM_EXISTS" | "VM_IN_USE" | "VM_PROTECTED" | "PROPERTY_VALUE_INVALID" | "TAG_NOT_FOUND" | "FEATURE_NOT_FOUND" | "INVALID_STATE" | "IMAGE_NOT_FOUND" | "IMAGE_EXISTS" | "IMAGE_IN_USE" | "IMAGE_INVALID" | "POLICY_NOT_FOUND" | "POLICY_INVALID" | "POLICY_CONFLICT" | "ASK_NOT_FOUND" | "TOKEN_NOT_FOUND" | "TOKEN_EXISTS" | "SNAPSHOT_NOT_FOUND" | "SNAPSHOT_INVALID" | "SNAPSHOT_MISMATCH" | "SNAPSHOT_IO" | "FORBIDDEN" | "LIMIT_EXCEEDED" | "INTERNAL";
            /** @description The request path */
            instance?: string;
            /** @description Validation failures, one per field */
            errors?: {
                path: string;
                message: string;
            }[];
            /** @description Extra facts, e.g. the VMs that use a VM */
            details?: {
                [key: string]: unknown;
            };
        };
        Event: {
            /** @description Monotonic id: the resume cursor */
            id: number;
            /** @description When it was recorded (ISO 8601) */
            time: string;
            /** @description Qubes event name, e.g. domain-add, property-set:memory */
            event: string;
            /** @description The VM the event is about; null for global events */
            subject: string | null;
            /** @description Event arguments (Qubes kwargs) */
            payload: {
                [key: string]: unknown;
            };
        };
        EventPage: {
            events: components["schemas"]["Event"][];
            /** @description Id to pass as `since` next time */
            last_id: number;
        };
        Image: {
            name: string;
            /** @description The program vCPU 0 runs at boot */
            kernel: string;
            programs: {
                name: string;
                bytes: number;
            }[];
            /** @description qrexec service name → built-in or program */
            services: {
                [key: string]: {
                    builtin: string;
                } | {
                    program: string;
                };
            };
            /** @description Shipped with Cella; cannot be removed */
            builtin: boolean;
            /** @description VMs that boot this image */
            users: string[];
        };
        ImageList: {
            images: components["schemas"]["Image"][];
        };
        PolicyFileInfo: {
            /** @description NAME.policy in the main directory, or include/NAME */
            name: string;
            version: number;
            /** @description Send as If-Match to change the file only if it is still this version */
            etag: string;
            updated_at: string;
            updated_by: string;
            bytes: number;
        };
        PolicyFile: {
            /** @description NAME.policy in the main directory, or include/NAME */
            name: string;
            version: number;
            /** @description Send as If-Match to change the file only if it is still this version */
            etag: string;
            updated_at: string;
            updated_by: string;
            bytes: number;
            content: string;
        };
        PolicyFileList: {
            files: components["schemas"]["PolicyFileInfo"][];
        };
        PolicyHistory: {
            name: string;
            versions: {
                version: number;
                /** @enum {string} */
                action: "create" | "update" | "delete";
                content: string | null;
                changed_at: string;
                changed_by: string;
            }[];
        };
        Decision: {
            /** @enum {string} */
            action: "allow" | "deny" | "ask";
            /** @description For allow: where the call goes (@dispvm:X = a new disposable from X) */
            target: string | null;
            requested_target: string;
            user: string | null;
            autostart: boolean;
            notify: boolean;
            ask_choices: {
                targets: string[];
                default_target: string | null;
            } | null;
            /** @description The rule that decided; null when none matched */
            rule: {
                file: string;
                line: number;
                text: string;
            } | null;
            reason: string;
        };
        PendingAsk: {
            id: string;
            source: string;
            target: string;
            service: string;
            argument: string;
            choices: string[];
            default_target: string | null;
            rule: {
                file: string;
                line: number;
                text: string;
            } | null;
            created_at: string;
            expires_at: string;
        };
        TokenInfo: {
            name: string;
            vm: string;
            created_at: string;
        };
        TokenCreated: {
            name: string;
            vm: string;
            created_at: string;
            /** @description The secret, shown only now */
            token: string;
        };
        QrexecResult: {
            /** @description The service’s exit code; 126 refused, 125 qrexec failure, 127 no such service */
            exit_code: number;
            /** @description base64 */
            stdout: string;
            /** @description base64 */
            stderr: string;
            bytes_in: number;
            bytes_out: number;
            /** @description Why the call failed in qrexec itself, if it did */
            error: string | null;
        };
        Vm: {
            /** @description The VM name; a letter first, then letters, digits, `_ . -`, at most 31 characters. */
            name: string;
            /** @description Identifier that never changes. */
            uuid: string;
            /** @description Internal numeric identifier; 0 is dom0. */
            qid: number;
            /**
             * @description The VM class
             * @enum {string}
             */
            class: "AppVM" | "TemplateVM" | "StandaloneVM" | "DispVM" | "AdminVM";
            /**
             * @description Colourful label of the VM: red, orange, yellow, green, gray, blue, purple or black.
             * @enum {string}
             */
            label: "red" | "orange" | "yellow" | "green" | "gray" | "blue" | "purple" | "black";
            /** @description The template this VM runs on: a TemplateVM for an AppVM, a VM with template_for_dispvms for a DispVM. */
            template: string | null;
            /** @description Guest RAM in MiB, mapped at guest-physical 0x8000_0000 (at most 2047); host memory is spent only on pages the guest touches. */
            memory: number;
            /** @description The most RAM the VM may be given, in MiB; at least `memory`. */
            maxmem: number;
            /** @description Number of virtual CPUs; vCPU 0 starts the guest kernel. */
            vcpus: number;
            /** @description The guest image the VM boots (an image name); AppVMs take their template’s. */
            kernel: string;
            /** @description Start the VM when the manager starts. */
            autostart: boolean;
            /** @description The disposable template used for @dispvm calls from this VM (a VM with template_for_dispvms). */
            default_dispvm: string | null;
            /** @description Whether disposable VMs may be based on this VM. */
            template_for_dispvms: boolean | null;
            /** @description Seconds a graceful shutdown may take before the VM is killed. */
            shutdown_timeout: number;
            /** @description Seconds to wait for the qrexec agent of a starting VM. */
            qrexec_timeout: number;
            /** @description Bytes of guest console output (stdout and stderr) the manager keeps for qvm-console; older output is dropped. */
            console_buffer: number;
            /** @description Highest event-channel port the VM may allocate (Xen xl.cfg max_event_channels; 1023 for a 32-bit guest). */
            max_event_channels: number;
            /** @description What a stop of the manager (SIGTERM, SIGINT) does to the VM while it runs: shutdown (gracefully, killed after shutdown_timeout, at most 10 s), kill, or suspend to a file, resumed when the manager starts again (libvirt-guests ON_SHUTDOWN=suspend). */
            on_host_stop: string;
            /** @description The host CPUs (CPU workers) the VM’s vCPUs may run on, in Xen vcpu-pin syntax (xl.cfg `cpus=`): `all`, or CPU numbers and ranges `a-b`, comma-separated, `^n` to leave one out (`0-3,^1`). The least loaded allowed CPU is taken when the VM starts; a CPU this host lacks refuses the start. GET /api/v1/host lists the CPUs. */
            cpu_affinity: string;
            /** @description Suspend the VM to a file once it has been idle this many seconds (every vCPU blocked, no qrexec call in flight); 0 never. A qrexec call allowed to autostart it resumes it. */
            autosuspend_idle_s: number;
            /**
             * @description Power state
             * @enum {string}
             */
            state: "halted" | "starting" | "running" | "paused" | "halting" | "crashed" | "suspending" | "suspended" | "resuming";
            /** @description Tags, sorted */
            tags: string[];
            /** @description Properties that hold their default value (not set on this VM) */
            defaults: string[];
        };
        VmList: {
            items: components["schemas"]["Vm"][];
            /** @description VMs matching the filters */
            total: number;
            offset: number;
            limit: number;
        };
        PropertyInfo: {
            name: string;
            /** @enum {string} */
            type: "str" | "int" | "bool" | "label" | "vm";
            doc: string;
            readonly: boolean;
            /** @description Value when unset (before template inheritance) */
            default: string | number | boolean | null;
            inherits_from_template: boolean;
            /** @description Classes that have this property */
            classes: ("AppVM" | "TemplateVM" | "StandaloneVM" | "DispVM" | "AdminVM")[];
            unit?: string;
        };
        Snapshot: {
            id: string;
            file: string;
            vms: {
                uuid: string;
                name: string;
                domid: number;
                memory_mib: number;
            }[];
            /** @description File size */
            bytes: number;
            /** @description The SHA-256 the file ends with (over everything before it) */
            sha256: string;
            format_version: number;
            cella_version: string;
            /**
             * @description Why it was written: asked for, the VM was idle (autosuspend_idle_s), or the manager stopped (on_host_stop=suspend; resumed when it starts again)
             * @enum {string}
             */
            reason: "request" | "idle" | "host-stop";
            created_at: string;
            /** @description VMs suspended into it now (resume them from it) */
            suspended: string[];
        };
        /** @description A file in the snapshot directory without an index entry (a crash between its rename and the index, or a file brought in by hand): it cannot be resumed */
        OrphanSnapshotFile: {
            /** @description File name in snapshots/; remove it with DELETE /api/v1/snapshots/{file} */
            file: string;
            bytes: number;
            modified_at: string;
        };
        SnapshotList: {
            snapshots: components["schemas"]["Snapshot"][];
            /** @description Files without an index entry */
            orphans: components["schemas"]["OrphanSnapshotFile"][];
        };
        PruneResult: {
            /** @description Ids of the snapshots removed with their files */
            snapshots: string[];
            /** @description Orphan files removed */
            orphans: string[];
        };
        ConsoleOutput: {
            /** @description The last bytes of the guest console (stdout and stderr), decoded as UTF-8 */
            data: string;
            /** @description Bytes the guest wrote since it started */
            total_bytes: number;
            /** @description Bytes that fell out of the console buffer (console_buffer property) */
            dropped_bytes: number;
        };
        VmStats: {
            state: string;
            /** @description Domain id while running */
            domid: number | null;
            /** @description Instructions retired by all vCPUs */
            instructions: number;
            /** @description Guest virtual time (10 ns per instruction) */
            virtual_time_ns: number;
            /** @description Host time spent running the vCPUs */
            host_cpu_ms: number;
            /** @description Guest RAM size */
            memory_bytes: number;
            /** @description Guest RAM the guest has written (host memory it costs) */
            memory_touched_bytes: number;
            console_bytes: number;
            /** @description Completed syscalls and hypercalls by number */
            syscalls: {
                [key: string]: number;
            };
            /** @description Calls answered -ENOSYS, by number */
            unknown_syscalls: {
                [key: string]: number;
            };
            /** @description vCPU exits by reason */
            exits: {
                [key: string]: number;
            };
            vcpus: {
                id: number;
                state: string;
                instructions: number;
                pc: number;
            }[];
            /** @description How the guest last ended (crash cause, pc and address kept) */
            last_exit: {
                /** @enum {string} */
                kind: "shutdown" | "crashed";
                status?: number;
                reason?: string;
                cause?: number;
                pc?: number;
                tval?: number;
            } | null;
        };
        HostStats: {
            /** @description When the sample was taken (milliseconds since the epoch) */
            at: number;
            vms: {
                name: string;
                class: string;
                state: string;
                /** @description Instructions retired by its vCPUs since its domain was built (0 without one) */
                instructions: number;
                /** @description Host time its vCPUs ran */
                host_cpu_ms: number;
                /** @description Guest RAM of its domain (0 without one) */
                memory_bytes: number;
            }[];
        };
        HostView: {
            /**
             * @description `workers`: each CPU is a worker thread (CELLA_CPUS); `event-loop`: vCPUs run on the manager's own thread
             * @enum {string}
             */
            mode: "workers" | "event-loop";
            /** @description The host's available parallelism */
            host_cpus: number;
            cpus: {
                cpu: number;
                /** @description Share of host time its worker ran guest code since it started (0..1); 0 without workers */
                load: number;
                /** @description Instructions its vCPUs ran on its worker thread */
                worker_instructions: number;
                /** @description Instructions its vCPUs ran on the main thread between their exits (chatty vCPUs, with fewer than 50,000 instructions between exits on average); without workers, all of them */
                main_instructions: number;
                /** @description The vCPU on the CPU now */
                running: {
                    vm: string;
                    vcpu: number;
                } | null;
                /** @description The vCPUs bound to the CPU (xl vcpu-list) */
                vcpus: {
                    vm: string;
                    vcpu: number;
                    state: string;
                    instructions: number;
                }[];
            }[];
            vms: {
                name: string;
                /** @description The CPU its vCPUs run on */
                cpu: number;
                /** @description Host time its vCPUs ran */
                host_cpu_ms: number;
                /** @description Its share of one host CPU over the last second (xentop CPU%) */
                cpu_percent: number;
            }[];
        };
        EventChannelList: {
            domid: number;
            ports: {
                port: number;
                /** @description unbound, interdomain, virq, ipi, reserved */
                state: string;
                notifyVcpu: number;
                remoteDom?: number;
                remotePort?: number;
                virq?: number;
                pending: boolean;
                masked: boolean;
            }[];
        };
        GrantReport: {
            domid: number;
            /** @description A dead granter whose frames are still mapped */
            zombie: boolean;
            nrFrames: number;
            maxFrames: number;
            /** @description Entries of this domain pinned by mappers */
            active: {
                ref: number;
                /** @description The domain that has the entry pinned */
                mapper: number;
                pin: number;
                hostWritable: number;
                hostReadonly: number;
                /** @description The entry as it is in the granter’s memory (GTF_*) */
                flags: number;
                domid: number;
                frame: number;
            }[];
            /** @description Frames of other domains this domain has mapped */
            mappings: {
                handle: number;
                granter: number;
                ref: number;
                readonly: boolean;
                hostAddr: number;
            }[];
            zombies: {
                domid: number;
                /** @description A dead granter whose frames are still mapped */
                zombie: boolean;
                nrFrames: number;
                maxFrames: number;
                /** @description Entries of this domain pinned by mappers */
                active: {
                    ref: number;
                    /** @description The domain that has the entry pinned */
                    mapper: number;
                    pin: number;
                    hostWritable: number;
                    hostReadonly: number;
                    /** @description The entry as it is in the granter’s memory (GTF_*) */
                    flags: number;
                    domid: number;
                    frame: number;
                }[];
                /** @description Frames of other domains this domain has mapped */
                mappings: {
                    handle: number;
                    granter: number;
                    ref: number;
                    readonly: boolean;
                    hostAddr: number;
                }[];
            }[];
        };
        Health: {
            /** @constant */
            status: "ok";
            version: string;
        };
        TagList: {
            tags: string[];
        };
        /** @description Feature name to value; true is "1", false is "" */
        FeatureMap: {
            features: {
                [key: string]: string;
            };
        };
        Feature: {
            name: string;
            value: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProperties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        properties: components["schemas"]["PropertyInfo"][];
                    };
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listVms: {
        parameters: {
            query?: {
                /** @description Only VMs of this class */
                class?: "AppVM" | "TemplateVM" | "StandaloneVM" | "DispVM" | "AdminVM";
                /** @description Only VMs with this label */
                label?: "red" | "orange" | "yellow" | "green" | "gray" | "blue" | "purple" | "black";
                /** @description Only VMs with this tag */
                tag?: string;
                /** @description Only VMs in this power state */
                state?: "halted" | "starting" | "running" | "paused" | "halting" | "crashed" | "suspending" | "suspended" | "resuming";
                /** @description Items to skip */
                offset?: number;
                /** @description Items per page (at most 1000) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VmList"];
                };
            };
            /** @description Not modified: the ETag sent in If-None-Match is still current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createVm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VmCreateInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["VmPatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cloneVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VmCloneInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTags: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagList"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The VM has the tag */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFeatures: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureMap"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFeature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                feature: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Feature"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setFeature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                feature: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeatureSetInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Feature"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFeature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                feature: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pauseVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unpauseVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    shutdownVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ShutdownRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConsole: {
        parameters: {
            query?: {
                /** @description At most this many of the last bytes */
                tail?: number;
            };
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleOutput"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEventChannels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventChannelList"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listGrants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantReport"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VmStats"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStats: {
        parameters: {
            query?: {
                /** @description Websocket only: milliseconds between samples */
                interval_ms?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostStats"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostView"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listImages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageList"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageUploadInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    qrexecCall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QrexecCallInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QrexecResult"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    suspendVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SuspendRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        vm: components["schemas"]["Vm"];
                        snapshot: components["schemas"]["Snapshot"];
                    };
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The snapshot file could not be written (disk full, permissions) */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resumeVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description VM name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ResumeRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The snapshot file could not be written (disk full, permissions) */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSnapshots: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SnapshotList"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SnapshotGroupRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The snapshot file could not be written (disk full, permissions) */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pruneSnapshots: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PruneRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PruneResult"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resumeSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        vms: components["schemas"]["Vm"][];
                    };
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The snapshot file could not be written (disk full, permissions) */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Return events with id greater than this */
                since?: number;
                /** @description At most this many events */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description Not modified: the ETag sent in If-None-Match is still current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPolicyFiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyFileList"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPolicyFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description File name; encode / as %2F */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyFile"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putPolicyFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description File name; encode / as %2F */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyFileWriteInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description NAME.policy in the main directory, or include/NAME */
                        name: string;
                        version: number;
                        /** @description Send as If-Match to change the file only if it is still this version */
                        etag: string;
                        updated_at: string;
                        updated_by: string;
                        bytes: number;
                    };
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deletePolicyFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description File name; encode / as %2F */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A value is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPolicyHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description File name; encode / as %2F */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyHistory"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    checkPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    files: {
                        name: string;
                        content: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description file:line: message, for every problem */
                        errors: string[];
                    };
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    evaluatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Decision"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAsks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        asks: components["schemas"]["PendingAsk"][];
                    };
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    answerAsk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AskAnswerInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Decision"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["TokenInfo"][];
                    };
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreateInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreated"];
                };
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body, parameters or query do not validate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
