"""Runs many AWS CLI calls in one `aws` process (see awsCli in ../emulator-support.ts).

Python imports this file at start-up when the `aws` program is started with this folder on PYTHONPATH. It does
nothing unless LLR_AWS_CLI_BATCH is set; then, instead of the one command of the command line, it reads calls as
JSON lines ({"id", "args"}) on stdin, hands each to the CLI's own entry point (awscli.clidriver: what the `aws`
script calls) with stdout and stderr captured, and answers {"id", "rc", "stdout", "stderr"} lines on fd 3. Starting
the CLI costs about a second of Python imports; a call in a running one costs a few tens of milliseconds.
"""
import os

if os.environ.get("LLR_AWS_CLI_BATCH"):
    import io
    import json
    import logging
    import sys
    import traceback

    def _loggers():
        manager = logging.Logger.manager
        found = [logging.getLogger()]
        found += [l for l in list(manager.loggerDict.values()) if isinstance(l, logging.Logger)]
        return found

    def _run(entry, args):
        """One call, as `aws ARGS` would run it: exit code, stdout, stderr."""
        saved = [(l, list(l.handlers), l.level, l.propagate) for l in _loggers()]
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)
        sys.stdout, sys.stderr = out, err
        try:
            rc = entry(args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:  # what the interpreter would print before exiting 1
            traceback.print_exc()
            rc = 1
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            # --debug adds stream handlers (on the captured stderr) and lowers levels: undo that for the next call.
            known = {id(l) for l, *_ in saved}
            for logger, handlers, level, propagate in saved:
                logger.handlers[:] = handlers
                logger.setLevel(level)
                logger.propagate = propagate
            for logger in _loggers():
                if id(logger) not in known:
                    logger.handlers[:] = []
                    logger.setLevel(logging.NOTSET)
        return rc or 0, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8", "replace")

    def _serve():
        from awscli import clidriver

        if hasattr(clidriver, "AWSCLIEntryPoint"):  # v2: main() is AWSCLIEntryPoint().main(sys.argv[1:])
            entry = lambda args: clidriver.AWSCLIEntryPoint().main(args)
        else:  # v1: main() is create_clidriver().main()
            entry = lambda args: clidriver.create_clidriver().main(args)
        answers = os.fdopen(3, "w", encoding="utf-8")
        answers.write(json.dumps({"ready": True}) + "\n")
        answers.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            call = json.loads(line)
            rc, stdout, stderr = _run(entry, call["args"])
            answers.write(json.dumps({"id": call["id"], "rc": rc, "stdout": stdout, "stderr": stderr}) + "\n")
            answers.flush()

    try:
        _serve()
    except BrokenPipeError:
        pass
    sys.stdout.flush()
    os._exit(0)
