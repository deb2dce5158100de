@rem A stand-in file for Windows, where plugins/served finds plugins\served.cmd:
@rem the tests fake the describe answer.
