/*
 * A stand-in for Windows' bcryptprimitives.dll, for running bgtask's Windows
 * build under Wine 8.0 (Debian 12's wine64) in CI. Never shipped, never used
 * on Windows.
 *
 * Why: since Go 1.22 every Windows Go program draws its random numbers from
 * ProcessPrng in bcryptprimitives.dll (Windows 10 and later) and refuses to
 * start without it ("fatal error: bcryptprimitives.dll not found"). Wine 8.0
 * has no such DLL; later Wine versions do. ProcessPrng here forwards to
 * RtlGenRandom (advapi32's SystemFunction036), the generator older Go
 * releases used, which Wine has. .ci/wine/run builds this file with
 * x86_64-w64-mingw32-gcc into the Wine prefix's system32 folder, where Go
 * looks for it.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData): fills pbData, always TRUE on
 * Windows; RtlGenRandom takes a ULONG length, so large requests are split. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
