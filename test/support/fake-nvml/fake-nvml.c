/*
 * A fake NVML for tests: the real names, signatures and return codes (nvml.h), behaviour from
 * environment variables read at nvmlInit_v2. Built at test time: cc -shared -fPIC -o libnvidia-ml.so.1 fake-nvml.c
 *
 *   FAKE_NVML_GPUS            number of GPUs (default 1, at most 8)
 *   FAKE_NVML_NAMES           comma-separated names (default "Fake GPU <i>")
 *   FAKE_NVML_POWER_DIR       directory holding power-<i> files: the power in mW (default 100000)
 *   FAKE_NVML_ENERGY_START_MJ the counter's start (default 987654321)
 *   FAKE_NVML_PERIOD_MS       the counter's update period (default 50): a thread adds each period's
 *                             energy at the power the file holds then
 *   FAKE_NVML_NOT_SUPPORTED   comma-separated function names that answer NVML_ERROR_NOT_SUPPORTED
 *   FAKE_NVML_INIT_ERROR      the code nvmlInit_v2 answers (e.g. 9, driver not loaded)
 *   FAKE_NVML_LOST_GPU        index of a GPU that is lost ...
 *   FAKE_NVML_LOST_AFTER_MS   ... this long after nvmlInit_v2 (default 0)
 *   FAKE_NVML_LOG             a file each nvmlInit_v2 / nvmlShutdown appends a line to
 *
 * The counter's thread is named "fake-nvml-tick", so a benchmark can leave its CPU out: it stands
 * for the GPU's firmware, not for anything the real library runs in the caller's process.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_UNKNOWN 999
#define MAX_GPUS 8

typedef struct nvmlDevice_st {
  unsigned int index;
  char name[96];
  double energy_mj;
  unsigned int power_mw;
} *nvmlDevice_t;

typedef struct nvmlUtilization_st { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct nvmlMemory_st { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct nvmlPciInfo_st {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

static struct nvmlDevice_st gpus[MAX_GPUS];
static unsigned int gpu_count = 0;
static int init_count = 0;
static double t0_ms = 0;
static double period_ms = 50;
static int lost_gpu = -1;
static pthread_t ticker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int stopping = 0;
static double lost_after_ms = 0;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' ? v : fallback;
}

static void log_line(const char *what) {
  const char *path = getenv("FAKE_NVML_LOG");
  if (path == NULL) return;
  FILE *f = fopen(path, "a");
  if (f == NULL) return;
  fprintf(f, "%s\n", what);
  fclose(f);
}

static int not_supported(const char *fn) {
  const char *list = getenv("FAKE_NVML_NOT_SUPPORTED");
  if (list == NULL) return 0;
  size_t n = strlen(fn);
  for (const char *p = strstr(list, fn); p != NULL; p = strstr(p + 1, fn)) {
    if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ',')) return 1;
  }
  return 0;
}

static unsigned int read_power(unsigned int index) {
  const char *dir = getenv("FAKE_NVML_POWER_DIR");
  if (dir == NULL) return 100000;
  char path[4096];
  snprintf(path, sizeof path, "%s/power-%u", dir, index);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 100000;
  unsigned int mw = 100000;
  if (fscanf(f, "%u", &mw) != 1) mw = 100000;
  fclose(f);
  return mw;
}

/*
 * The counter: a thread adds each period's energy at the power the file holds then, as the
 * board integrates continuously but publishes its counter only every period. Absolute wake-up
 * times, so periods do not drift.
 */
static void *tick(void *arg) {
  (void)arg;
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    long long ns = next.tv_nsec + (long long)(period_ms * 1e6);
    next.tv_sec += ns / 1000000000LL;
    next.tv_nsec = ns % 1000000000LL;
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    pthread_mutex_lock(&lock);
    if (stopping) {
      pthread_mutex_unlock(&lock);
      return NULL;
    }
    for (unsigned int i = 0; i < gpu_count; i++) {
      gpus[i].power_mw = read_power(i);
      gpus[i].energy_mj += gpus[i].power_mw * period_ms / 1000.0;
    }
    pthread_mutex_unlock(&lock);
  }
}

/* NVML_SUCCESS, or why this device cannot answer now. */
static nvmlReturn_t check(nvmlDevice_t d, const char *fn) {
  if (init_count == 0) return NVML_ERROR_UNINITIALIZED;
  if (d == NULL || d < gpus || d >= gpus + gpu_count) return NVML_ERROR_INVALID_ARGUMENT;
  if ((int)d->index == lost_gpu && now_ms() - t0_ms >= lost_after_ms) return NVML_ERROR_GPU_IS_LOST;
  if (not_supported(fn)) return NVML_ERROR_NOT_SUPPORTED;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlInit_v2(void) {
  log_line("init");
  int code = atoi(env_or("FAKE_NVML_INIT_ERROR", "0"));
  if (code != 0) return code;
  if (init_count++ > 0) return NVML_SUCCESS;
  gpu_count = (unsigned int)atoi(env_or("FAKE_NVML_GPUS", "1"));
  if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
  period_ms = atof(env_or("FAKE_NVML_PERIOD_MS", "50"));
  lost_gpu = atoi(env_or("FAKE_NVML_LOST_GPU", "-1"));
  lost_after_ms = atof(env_or("FAKE_NVML_LOST_AFTER_MS", "0"));
  double start = atof(env_or("FAKE_NVML_ENERGY_START_MJ", "987654321"));
  const char *names = env_or("FAKE_NVML_NAMES", "");
  t0_ms = now_ms();
  for (unsigned int i = 0; i < gpu_count; i++) {
    nvmlDevice_t d = &gpus[i];
    memset(d, 0, sizeof *d);
    d->index = i;
    d->energy_mj = start + i * 1000.0;
    d->power_mw = read_power(i);
    snprintf(d->name, sizeof d->name, "Fake GPU %u", i);
    const char *p = names;
    for (unsigned int k = 0; k < i && p != NULL; k++) p = strchr(p, ',') != NULL ? strchr(p, ',') + 1 : NULL;
    if (p != NULL && *p != '\0') {
      size_t n = strcspn(p, ",");
      if (n >= sizeof d->name) n = sizeof d->name - 1;
      memcpy(d->name, p, n);
      d->name[n] = '\0';
    }
  }
  stopping = 0;
  pthread_create(&ticker, NULL, tick, NULL);
  pthread_setname_np(ticker, "fake-nvml-tick");
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
  log_line("shutdown");
  if (init_count == 0) return NVML_ERROR_UNINITIALIZED;
  if (--init_count == 0) {
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_mutex_unlock(&lock);
    pthread_join(ticker, NULL);
  }
  return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
  if (init_count == 0) return NVML_ERROR_UNINITIALIZED;
  if (deviceCount == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *deviceCount = gpu_count;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (init_count == 0) return NVML_ERROR_UNINITIALIZED;
  if (index >= gpu_count || device == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &gpus[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetName");
  if (r != NVML_SUCCESS) return r;
  if (strlen(device->name) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
  strcpy(name, device->name);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetUUID");
  if (r != NVML_SUCCESS) return r;
  if (length < 41) return NVML_ERROR_INSUFFICIENT_SIZE;
  snprintf(uuid, length, "GPU-fa4e0000-0000-0000-0000-00000000000%u", device->index);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetPciInfo_v3");
  if (r != NVML_SUCCESS) return r;
  memset(pci, 0, sizeof *pci);
  pci->bus = 1 + device->index;
  pci->pciDeviceId = 0x268410de;
  snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "0000:%02X:00.0", pci->bus);
  snprintf(pci->busId, sizeof pci->busId, "00000000:%02X:00.0", pci->bus);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetTotalEnergyConsumption");
  if (r != NVML_SUCCESS) return r;
  pthread_mutex_lock(&lock);
  *energy = (unsigned long long)device->energy_mj;
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetPowerUsage");
  if (r != NVML_SUCCESS) return r;
  *power = read_power(device->index);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *limit) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetPowerManagementLimit");
  if (r != NVML_SUCCESS) return r;
  *limit = 450000;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetUtilizationRates");
  if (r != NVML_SUCCESS) return r;
  utilization->gpu = 97;
  utilization->memory = 40;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetMemoryInfo");
  if (r != NVML_SUCCESS) return r;
  memory->total = 24ULL << 30;
  memory->used = 10342ULL << 20;
  memory->free = memory->total - memory->used;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetClockInfo");
  if (r != NVML_SUCCESS) return r;
  if (type != 1) return NVML_ERROR_INVALID_ARGUMENT;
  *clock = 2730;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, unsigned int *temp) {
  nvmlReturn_t r = check(device, "nvmlDeviceGetTemperature");
  if (r != NVML_SUCCESS) return r;
  if (sensorType != 0) return NVML_ERROR_INVALID_ARGUMENT;
  *temp = 63;
  return NVML_SUCCESS;
}
